package dev.trellis.otp;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;

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

    /// The window as tools read it (see [Published]); O(1): at most [Published#NEWEST] times are
    /// copied however many restarts are in the window.
    Published published() {
        int n = Math.min(restarts.size(), Published.NEWEST);
        long[] newest = new long[n];
        Iterator<Long> it = restarts.descendingIterator();
        for (int i = n - 1; i >= 0; i--) {
            newest[i] = it.next();
        }
        return new Published(newest, restarts.size(), counted);
    }

    /// A supervisor's restart window published for other threads: the newest restart times
    /// (oldest first) and how many restarts the window held when published.
    static final class Published {
        /// How many of the newest restart times are published.
        static final int NEWEST = 64;

        static final Published NONE = new Published(new long[0], 0, 0);

        private final long[] newest;
        private final int inWindow;
        final long counted;

        Published(long[] newest, int inWindow, long counted) {
            this.newest = newest;
            this.inWindow = inWindow;
            this.counted = counted;
        }

        /// Restarts still allowed at `now`. Exact while the window holds at most [#NEWEST]
        /// restarts; with more, the unpublished older ones count as still in the window until a
        /// published one has left it, so the budget is never overstated.
        int remaining(int intensity, long periodNanos, long now) {
            long threshold = now - periodNanos;
            int gone = 0;
            while (gone < newest.length && newest[gone] < threshold) {
                gone++;
            }
            int in = gone == 0 ? inWindow : newest.length - gone;
            return Math.max(0, intensity - in);
        }
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
