package dev.trellis.otp;

/// The time source of a process: its receive timeouts, sleeps, `sendAfter` timers and the
/// behaviours' timeouts (call timeouts, idle timeouts, restart intensity) all read it.
///
/// A process uses the clock of the process that spawned it unless [SpawnOptions#clock(Clock)]
/// says otherwise; processes spawned outside any process use [#system()]. Tests give a tree of
/// processes a [ManualClock] and move time forward explicitly, so time-window behaviour is tested
/// without sleeping.
public abstract sealed class Clock permits SystemClock, ManualClock {
    Clock() {}

    /// The wall-independent monotonic time source, [System#nanoTime()].
    public static Clock system() {
        return SystemClock.INSTANCE;
    }

    /// The current time in nanoseconds; only differences are meaningful.
    public abstract long nanoTime();

    /// Parks the calling thread until it is unparked, interrupted, or this clock reaches
    /// `deadline` (`Long.MAX_VALUE`: no deadline). May return spuriously.
    abstract void parkUntil(long deadline);

    /// Runs `action` once this clock reaches `deadline`, on a thread of the clock's choosing;
    /// `action` must not block.
    abstract Scheduled schedule(long deadline, Runnable action);

    /// A scheduled action that can still be cancelled.
    interface Scheduled {
        /// Cancels the action; `false` if it already ran or was cancelled.
        boolean cancel();
    }

    /// `now + delay`, saturating at `Long.MAX_VALUE`.
    static long deadline(long now, long delayNanos) {
        long d = now + delayNanos;
        return ((now ^ d) & (delayNanos ^ d)) < 0 ? Long.MAX_VALUE : d;
    }
}
