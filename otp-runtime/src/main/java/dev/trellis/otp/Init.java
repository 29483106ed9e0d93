package dev.trellis.otp;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/// What a server's `init` returns: Erlang's `{ok, State} | {ok, State, Timeout | {continue, C}} |
/// ignore | {stop, Reason}`. Throwing from `init` is `{stop, crash}`.
///
/// | result | [GenServer#start] returns | the process |
/// |---|---|---|
/// | [#ok(Object)] | [StartResult.Ok] | runs |
/// | [#ok(Object)] then [Ok#idleTimeout(Duration)] / [Ok#thenContinue(Object)] | [StartResult.Ok] | runs, with an idle
/// timeout or a continue step first |
/// | [#ignore()] | [StartResult.Ignore] | exits `normal` |
/// | [#stop(ExitReason)] | [StartResult.Failed] | exits with the reason |
public sealed interface Init<S> {

    /// Start with `state`.
    static <S> Ok<S> ok(S state) {
        return new Ok<>(state, null, null);
    }

    /// Do not start; [GenServer#start] returns [StartResult.Ignore].
    static <S> Init<S> ignore() {
        return new Ignore<>();
    }

    /// Fail to start with `reason`.
    static <S> Init<S> stop(ExitReason reason) {
        return new Stop<>(reason);
    }

    /// Started with `state`.
    ///
    /// @param idleTimeout deliver [GenServer.Timeout] if no message arrives within it
    /// @param continueWith run [GenServer#handleContinue] with it before the first message
    record Ok<S>(
            S state,
            @Nullable Duration idleTimeout,
            @Nullable Object continueWith) implements Init<S> {
        public Ok {
            Objects.requireNonNull(state, "state");
        }

        /// Also an idle timeout before the first message.
        public Ok<S> idleTimeout(Duration timeout) {
            return new Ok<>(state, timeout, continueWith);
        }

        /// Also a continue step before the first message.
        public Ok<S> thenContinue(Object cont) {
            return new Ok<>(state, idleTimeout, cont);
        }
    }

    /// Do not start.
    record Ignore<S>() implements Init<S> {}

    /// Fail with `reason`.
    record Stop<S>(ExitReason reason) implements Init<S> {}
}
