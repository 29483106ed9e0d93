package dev.trellis.observer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/// The Load charts' history (`GET /api/load`): one [Sample] per tick, rates computed between
/// consecutive readings, the last `capacity` kept (5 minutes at one a second).
final class LoadHistory {
    /*
     * Fed by the Observer's ticker thread only; read by HTTP threads, hence synchronized. Rates
     * are per second of elapsed monotonic time between two readings, so a late tick gives a
     * correct rate, not a spike.
     */

    /// What the runtime and JVM counters read at one instant.
    ///
    /// @param nanos monotonic time of the reading
    record Reading(
            long epochMillis,
            long nanos,
            long processes,
            long spawns,
            long exits,
            long messages,
            long restarts,
            long heapUsed) {}

    /// One point of the charts.
    ///
    /// @param time wall-clock time of the reading, epoch milliseconds
    record Sample(
            long time,
            long processes,
            double spawnsPerSecond,
            double exitsPerSecond,
            double messagesPerSecond,
            double restartsPerSecond,
            long heapUsed) {}

    /// What `GET /api/load` answers.
    record View(long intervalMillis, int capacity, List<Sample> samples) {}

    private final int capacity;
    private final long intervalMillis;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();
    private @Nullable Reading last;

    LoadHistory(int capacity, long intervalMillis) {
        this.capacity = capacity;
        this.intervalMillis = intervalMillis;
    }

    /// Adds the sample between the previous reading and `now`; the first reading only sets the
    /// baseline. Returns the new sample, if any.
    synchronized @Nullable Sample record(Reading now) {
        Reading prev = last;
        last = now;
        if (prev == null || now.nanos() <= prev.nanos()) {
            return null;
        }
        double seconds = (now.nanos() - prev.nanos()) / 1e9;
        Sample s = new Sample(
                now.epochMillis(),
                now.processes(),
                (now.spawns() - prev.spawns()) / seconds,
                (now.exits() - prev.exits()) / seconds,
                (now.messages() - prev.messages()) / seconds,
                (now.restarts() - prev.restarts()) / seconds,
                now.heapUsed());
        samples.addLast(s);
        while (samples.size() > capacity) {
            samples.removeFirst();
        }
        return s;
    }

    synchronized View view() {
        return new View(intervalMillis, capacity, new ArrayList<>(samples));
    }
}
