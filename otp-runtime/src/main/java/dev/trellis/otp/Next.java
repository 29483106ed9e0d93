package dev.trellis.otp;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/// What a server callback returns: the new state and what happens next (Erlang's
/// `{reply, R, S}`, `{noreply, S}`, `{stop, Reason, S}` and their timeout and continue forms).
///
/// ```java
/// return switch (msg) {
///     case Get g -> Next.reply(g, state.get(g.key()), state);   // typed: g is a Call<R>
///     case Put p -> Next.noreply(state.with(p.key(), p.value()));
///     case Quit q -> Next.stop(ExitReason.NORMAL, state);
/// };
/// ```
///
/// Returning [Reply] for a cast drops the reply. Returning [NoReply] for a call leaves the
/// caller waiting: reply later through the [From] of [GenServer#replyLater(Call)].
public sealed interface Next<S> {

    /// The state after the callback.
    S state();

    /// Replies `value` to the caller of `request` and continues with `state`.
    static <R, S> Reply<S> reply(Call<R> request, R value, S state) {
        Objects.requireNonNull(request, "request");
        return new Reply<>(value, state, null, null);
    }

    /// Continues with `state` without replying.
    static <S> NoReply<S> noreply(S state) {
        return new NoReply<>(state, null, null);
    }

    /// Stops with `reason`: [GenServer#terminate] runs, then the process exits with `reason`.
    static <S> Stop<S> stop(ExitReason reason, S state) {
        return new Stop<>(reason, state, false, null);
    }

    /// Stops with `reason` and replies `value` to the caller of `request`: [GenServer#terminate]
    /// runs first, so the caller sees its effects when the reply arrives; then the process exits.
    static <R, S> Stop<S> stop(ExitReason reason, Call<R> request, R value, S state) {
        Objects.requireNonNull(request, "request");
        return new Stop<>(reason, state, true, value);
    }

    /// A reply and the new state.
    record Reply<S>(
            @Nullable Object value,
            S state,
            @Nullable Duration idleTimeout,
            @Nullable Object continueWith) implements Next<S> {
        /// Also deliver [GenServer.Timeout] if no message arrives within `timeout`.
        public Reply<S> idleTimeout(Duration timeout) {
            return new Reply<>(value, state, timeout, continueWith);
        }

        /// Also run [GenServer#handleContinue] with `cont` before the next message.
        public Reply<S> thenContinue(Object cont) {
            return new Reply<>(value, state, idleTimeout, cont);
        }
    }

    /// The new state, no reply.
    record NoReply<S>(
            S state,
            @Nullable Duration idleTimeout,
            @Nullable Object continueWith) implements Next<S> {
        /// Also deliver [GenServer.Timeout] if no message arrives within `timeout`.
        public NoReply<S> idleTimeout(Duration timeout) {
            return new NoReply<>(state, timeout, continueWith);
        }

        /// Also run [GenServer#handleContinue] with `cont` before the next message.
        public NoReply<S> thenContinue(Object cont) {
            return new NoReply<>(state, idleTimeout, cont);
        }
    }

    /// Stop with `reason`, after replying `value` if `replies`.
    record Stop<S>(
            ExitReason reason,
            S state,
            boolean replies,
            @Nullable Object value) implements Next<S> {}
}
