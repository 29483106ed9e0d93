package dev.trellis.otp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/// send_after/3 and cancel_timer/1 on the manual clock.
class TimerTest {

    @Test
    void sendAfterDeliversOnceTheClockReachesTheDelay() {
        ManualClock clock = new ManualClock();
        InProcess.run(
                () -> {
                    Kernel.sendAfter(Kernel.self(), "tick", Duration.ofSeconds(10));
                    clock.advance(Duration.ofSeconds(9));
                    assertThat(Kernel.receive(Match.any(), Duration.ZERO, Clock.system()))
                            .isEmpty();
                    clock.advance(Duration.ofSeconds(1));
                    assertThat(Kernel.receive(Match.any(), Duration.ofSeconds(5), Clock.system()))
                            .contains("tick");
                },
                SpawnOptions.defaults().clock(clock));
    }

    @Test
    void cancelTimerReturnsTheTimeLeftAndPreventsDelivery() {
        ManualClock clock = new ManualClock();
        InProcess.run(
                () -> {
                    TimerRef t = Kernel.sendAfter(Kernel.self(), "tick", Duration.ofSeconds(10));
                    clock.advance(Duration.ofSeconds(3));
                    assertThat(Kernel.cancelTimer(t)).contains(Duration.ofSeconds(7));
                    assertThat(Kernel.cancelTimer(t)).isEmpty();
                    clock.advance(Duration.ofSeconds(10));
                    assertThat(Kernel.receive(Match.any(), Duration.ofMillis(20), Clock.system()))
                            .isEmpty();
                },
                SpawnOptions.defaults().clock(clock));
    }

    @Test
    void cancelTimerAfterItFiredReturnsEmpty() {
        ManualClock clock = new ManualClock();
        InProcess.run(
                () -> {
                    TimerRef t = Kernel.sendAfter(Kernel.self(), "tick", Duration.ofSeconds(1));
                    clock.advance(Duration.ofSeconds(1));
                    assertThat(Kernel.receive(Match.any(), Duration.ofSeconds(5), Clock.system()))
                            .contains("tick");
                    assertThat(Kernel.cancelTimer(t)).isEmpty();
                },
                SpawnOptions.defaults().clock(clock));
    }

    @Test
    void aTimerAimedAtAProcessThatExitsIsCancelled() {
        InProcess.run(() -> {
            int before = Kernel.statistics().timers();
            Pid p = Kernel.spawn(() -> Kernel.receive(Match.equalTo("stop")));
            TimerRef t = Kernel.sendAfter(p, "late", Duration.ofHours(1));
            assertThat(Kernel.statistics().timers()).isEqualTo(before + 1);
            Kernel.send(p, "stop");
            Signals.awaitExit(p);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> Kernel.statistics().timers() == before);
            assertThat(Kernel.cancelTimer(t)).isEmpty();
        });
    }
}
