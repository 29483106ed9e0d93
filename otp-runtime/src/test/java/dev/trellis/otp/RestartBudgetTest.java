package dev.trellis.otp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/// The restart window as supervisors publish it for tools ([RestartIntensity#published()]).
class RestartBudgetTest {

    @Test
    void theBudgetLeftIsExactForAWindowOfUpTo64Restarts() {
        RestartIntensity window = new RestartIntensity(3, Duration.ofNanos(10));
        window.add(0);
        window.add(4);
        RestartIntensity.Published p = window.published();
        assertThat(p.remaining(3, 10, 4)).isEqualTo(1);
        assertThat(p.remaining(3, 10, 10)).isEqualTo(1); // the first is exactly 10 old: still counted
        assertThat(p.remaining(3, 10, 11)).isEqualTo(2);
        assertThat(p.remaining(3, 10, 15)).isEqualTo(3);
        assertThat(p.counted).isEqualTo(2);
    }

    @Test
    void withMoreRestartsThanPublishedTheBudgetIsNeverOverstated() {
        RestartIntensity window = new RestartIntensity(100, Duration.ofNanos(100));
        for (long t = 0; t < 70; t++) {
            assertThat(window.add(t)).isTrue();
        }
        RestartIntensity.Published p = window.published(); // times 6..69 and "70 in the window"
        assertThat(p.remaining(100, 100, 69)).isEqualTo(30);
        assertThat(p.remaining(100, 100, 105)).isEqualTo(30); // really 35: 0..4 left unseen
        assertThat(p.remaining(100, 100, 110)).isEqualTo(40); // 6..9 left, so did all older: exact
        assertThat(p.remaining(100, 100, 170)).isEqualTo(100);
        assertThat(RestartIntensity.Published.NONE.remaining(3, 100, 0)).isEqualTo(3);
    }
}
