package dev.trellis.otp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/// The caller of a [GenServer#call], to reply to later (Erlang's `From` with `gen_server:reply/2`).
///
/// Obtain it with [GenServer#replyLater(Call)] while handling the call, return
/// [Next#noreply(Object)], and call [#reply(Object)] from any process or thread when the answer is
/// ready. At most one reply is delivered; a reply after the caller gave up (its call timed out)
/// is dropped, so it never lands in the caller's mailbox.
public final class From<R> {
    /*
     * state: 0 waiting, 1 replied, 2 abandoned. The caller abandons with a CAS on timeout; a reply
     * is sent only by whoever moves it 0 -> 1. So either the caller sees "replied" and takes the
     * reply (it is at most one enqueue away), or the reply is never sent: Erlang's alias semantics.
     */
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(From.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Proc caller;
    final Ref ref;

    @SuppressWarnings("UnusedVariable") // accessed through STATE
    private volatile int state;

    From(Proc caller, Ref ref) {
        this.caller = caller;
        this.ref = ref;
    }

    /// The calling process.
    public Pid pid() {
        return caller.pid;
    }

    /// Sends the reply; `false` if a reply was already sent or the caller gave up.
    public boolean reply(R value) {
        return replyAny(value);
    }

    boolean replyAny(@org.jspecify.annotations.Nullable Object value) {
        if (!STATE.compareAndSet(this, 0, 1)) {
            return false;
        }
        Kernel.deliver(caller, new GenMessages.Reply(this, value));
        return true;
    }

    /// The caller gives up; `false` if a reply is already on its way.
    boolean abandon() {
        return STATE.compareAndSet(this, 0, 2);
    }

    @Override
    public String toString() {
        return "From[" + caller.pid + ", " + ref + "]";
    }
}
