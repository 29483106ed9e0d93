package dev.trellis.otp;

import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/// A timer started by [Kernel#sendAfter(Pid, Object, java.time.Duration)]: Erlang's timer
/// reference. Cancel it with [Kernel#cancelTimer(TimerRef)].
///
/// A timer aimed at a process is cancelled when that process exits, as Erlang cancels a timer
/// whose destination pid is no longer alive.
public final class TimerRef {
    /*
     * state: 0 pending, 1 fired, 2 cancelled; exactly one transition out of pending, which
     * decrements PENDING (the count the testkit's leak check reads).
     */
    private static final AtomicInteger PENDING = new AtomicInteger();

    private final AtomicInteger state = new AtomicInteger();
    private final Clock clock;
    private final long deadline;
    private final Proc target;
    private volatile Clock.@Nullable Scheduled scheduled;

    private TimerRef(Clock clock, long deadline, Proc target) {
        this.clock = clock;
        this.deadline = deadline;
        this.target = target;
    }

    static TimerRef start(Clock clock, long deadline, Proc target, Object msg) {
        TimerRef t = new TimerRef(clock, deadline, target);
        PENDING.incrementAndGet();
        if (!target.addTimer(t)) {
            t.finish(2);
            return t;
        }
        t.scheduled = clock.schedule(deadline, () -> {
            if (t.finish(1)) {
                target.removeTimer(t);
                Kernel.deliver(target, msg);
            }
        });
        if (t.state.get() != 0) { // fired or cancelled while scheduling
            t.scheduled = null;
        }
        return t;
    }

    private boolean finish(int to) {
        if (state.compareAndSet(0, to)) {
            PENDING.decrementAndGet();
            return true;
        }
        return false;
    }

    /// Cancels; the time that was left in nanoseconds, or -1 if it had fired or been cancelled.
    long cancel() {
        if (!finish(2)) {
            return -1;
        }
        Clock.Scheduled s = scheduled;
        if (s != null) {
            s.cancel();
        }
        target.removeTimer(this);
        return Math.max(0, deadline - clock.nanoTime());
    }

    static int pending() {
        return PENDING.get();
    }

    @Override
    public String toString() {
        return "#TimerRef<" + Integer.toHexString(System.identityHashCode(this)) + ">";
    }
}
