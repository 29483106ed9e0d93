package dev.trellis.otp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/// A unique reference, printed `#Ref<0.0.0.N>`: Erlang's `make_ref()`. Monitors are named by
/// the reference [Kernel#monitor(Pid)] returns.
///
/// A reference made inside a process also marks that process's mailbox: a
/// [Kernel#receive(Ref, Match, java.time.Duration)] on the newest reference examines only the
/// messages that arrived after it was made, so a reply is found in constant time however many
/// unrelated messages are queued (OTP's receive-marker optimisation).
public final class Ref {
    /*
     * Monitor state machine (only for refs returned by Kernel.monitor):
     *   ACTIVE --demonitor--> CANCELLED          (no Down is ever sent)
     *   ACTIVE --target exits--> FIRING --Down enqueued--> DELIVERED
     * demonitor(flush) that loses the race spins through the short FIRING window, then removes
     * the Down from the mailbox, so no Down is left or arrives after it returns.
     */
    static final int PLAIN = -1;
    static final int ACTIVE = 0;
    static final int CANCELLED = 1;
    static final int FIRING = 2;
    static final int DELIVERED = 3;

    private static final AtomicLong SERIALS = new AtomicLong();
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Ref.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long id;
    /// The monitored process, for monitor references.
    final @Nullable Proc target;
    /// The monitoring process, for monitor references.
    final @Nullable Proc watcher;

    @SuppressWarnings("UnusedVariable") // accessed through STATE
    private volatile int state;

    /// The target's list of the monitors watching it; guarded by the target's lock (see Proc).
    @Nullable
    Ref nextMonitor;

    @Nullable
    Ref prevMonitor;

    Ref(@Nullable Proc watcher, @Nullable Proc target) {
        this.id = SERIALS.incrementAndGet();
        this.watcher = watcher;
        this.target = target;
        this.state = target == null ? PLAIN : ACTIVE;
    }

    int state() {
        return state;
    }

    boolean transition(int from, int to) {
        return STATE.compareAndSet(this, from, to);
    }

    void state(int to) {
        state = to;
    }

    @Override
    public String toString() {
        return "#Ref<0.0.0." + id + ">";
    }
}
