package dev.trellis.otp;

import java.time.Duration;
import java.util.ArrayDeque;

/// The restart budget of a supervisor: at most `intensity` restarts within `period`.
final class RestartIntensity {
    /*
     * Mirrors add_restart/1,3 of supervisor.erl: each restart is timestamped on the supervisor's
     * clock; timestamps older than now - period are dropped (one exactly `period` old is kept, as
     * Erlang's `R >= Now - Period`); the restart is allowed if at most `intensity` remain,
     * counting itself. Owned by the supervisor process only.
     */
    private final int intensity;
    private final long periodNanos;
    private final ArrayDeque<Long> restarts = new ArrayDeque<>();
    private long counted;

    RestartIntensity(int intensity, Duration period) {
        this.intensity = intensity;
        this.periodNanos = period.toNanos();
    }

    /// Records a restart at `now`; `false` if it exceeds the intensity (the supervisor gives up).
    boolean add(long now) {
        restarts.addLast(now);
        drop(now);
        boolean allowed = restarts.size() <= intensity;
        if (allowed) {
            counted++;
        }
        return allowed;
    }

    /// Restarts allowed so far (each add that returned `true`).
    long counted() {
        return counted;
    }

    /// The times of the restarts in the window, oldest first (for tools: see [#remaining(long[], int, long, long)]).
    long[] times() {
        long[] times = new long[restarts.size()];
        int i = 0;
        for (long t : restarts) {
            times[i++] = t;
        }
        return times;
    }

    /// [#remaining(long)] of a window published as `times`, read by another thread at `now`.
    static int remaining(long[] times, int intensity, long periodNanos, long now) {
        long threshold = now - periodNanos;
        int inWindow = 0;
        for (long t : times) {
            if (t >= threshold) {
                inWindow++;
            }
        }
        return Math.max(0, intensity - inWindow);
    }

    /// Restarts still allowed at `now` before the supervisor gives up.
    int remaining(long now) {
        drop(now);
        return Math.max(0, intensity - restarts.size());
    }

    private void drop(long now) {
        long threshold = now - periodNanos;
        while (!restarts.isEmpty() && restarts.peekFirst() < threshold) {
            restarts.removeFirst();
        }
    }
}
