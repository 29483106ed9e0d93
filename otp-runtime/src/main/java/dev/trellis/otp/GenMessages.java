package dev.trellis.otp;

import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/// The envelopes of the server protocol (Erlang's `'$gen_call'`, `'$gen_cast'`, system messages).
final class GenMessages {
    private GenMessages() {}

    /// `{'$gen_call', From, Request}`.
    record CallRequest(From<?> from, Object request) {}

    /// `{'$gen_cast', Request}`.
    record CastRequest(Object request) {}

    /// The reply to a call, matched by identity of `from`.
    record Reply(From<?> from, @Nullable Object value) {}

    /// `proc_lib:init_ack/1`.
    record InitAck(Pid pid, StartResult result) {}

    /// `{system, From, Request}`: handled by the behaviour loop, never by user callbacks.
    sealed interface SystemRequest extends Call<Object> {}

    record GetState() implements SystemRequest {}

    record ReplaceState(UnaryOperator<Object> replace) implements SystemRequest {}

    record Suspend() implements SystemRequest {}

    record Resume() implements SystemRequest {}

    record GetStatistics() implements SystemRequest {}

    record Terminate(ExitReason reason) implements SystemRequest {}
}
