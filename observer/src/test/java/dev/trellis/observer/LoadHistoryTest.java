package dev.trellis.observer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoadHistoryTest {
    private static LoadHistory.Reading reading(long seconds, long spawns, long messages, long restarts) {
        return new LoadHistory.Reading(
                seconds * 1000, seconds * 1_000_000_000L, 10, spawns, spawns / 2, messages, restarts, 1 << 20);
    }

    @Test
    void ratesArePerSecondOfElapsedTimeBetweenReadings() {
        LoadHistory h = new LoadHistory(10, 1000);
        assertThat(h.record(reading(0, 0, 0, 0))).isNull(); // the baseline
        LoadHistory.Sample s = java.util.Objects.requireNonNull(h.record(reading(2, 100, 1000, 4))); // 2 s later
        assertThat(s.spawnsPerSecond()).isEqualTo(50.0);
        assertThat(s.exitsPerSecond()).isEqualTo(25.0);
        assertThat(s.messagesPerSecond()).isEqualTo(500.0);
        assertThat(s.restartsPerSecond()).isEqualTo(2.0);
        assertThat(s.processes()).isEqualTo(10);
        assertThat(s.heapUsed()).isEqualTo(1 << 20);
        assertThat(s.time()).isEqualTo(2000);
    }

    @Test
    void onlyTheLastCapacitySamplesAreKept() {
        LoadHistory h = new LoadHistory(3, 1000);
        for (int i = 0; i <= 5; i++) {
            h.record(reading(i, i, i, 0));
        }
        assertThat(h.view().samples()).extracting(LoadHistory.Sample::time).containsExactly(3000L, 4000L, 5000L);
        assertThat(h.view().capacity()).isEqualTo(3);
        assertThat(h.view().intervalMillis()).isEqualTo(1000);
    }

    @Test
    void aReadingThatDoesNotMoveTimeForwardAddsNothing() {
        LoadHistory h = new LoadHistory(3, 1000);
        h.record(reading(1, 0, 0, 0));
        assertThat(h.record(reading(1, 5, 5, 0))).isNull();
        assertThat(h.view().samples()).isEmpty();
    }
}
