package dev.trellis.otp;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/// A process that holds a state and runs functions on it (Elixir's `Agent`): the simplest way
/// to share state between processes, without writing a server.
///
/// The functions run inside the agent, one at a time, so the state never leaves it: only what a
/// function returns does (return immutable values, see ADR 0003).
///
/// ## Examples
///
/// ```java
/// Pid counter = Agent.start(() -> 0).orThrow();
/// Agent.update(counter, n -> n + 1);
/// int n = Agent.get(counter, s -> s);                     // 1
/// int old = Agent.getAndUpdate(counter, s -> Agent.result(s, s + 10)); // 1, state now 11
/// Agent.cast(counter, s -> s * 2);                        // fire and forget
/// Agent.stop(counter);
/// ```
///
/// ## How to supervise
///
/// Start it with [#startLink(Supplier, StartOptions)] from a child spec:
/// `ChildSpec.worker("counter", () -> Agent.startLink(() -> 0, StartOptions.defaults()))`.
///
/// ## Options and outcomes
///
/// | function | default timeout | outcome |
/// |---|---|---|
/// | [#get], [#update], [#getAndUpdate] | 5 s ([GenServer#DEFAULT_CALL_TIMEOUT]) | the result; [ExitException] as
/// [GenServer#call] (agent dead: `noproc`; timeout: `timeout`; the function threw: the agent crashes and the caller
/// gets its `Crash`) |
/// | [#cast] | none | never fails; a function that throws crashes the agent |
/// | [#stop] | infinity | returns once the agent has exited |
///
/// A `null` initial state or a function returning `null` (for `get`) is a programming error: the
/// agent or the caller fails with `NullPointerException`.
public final class Agent {
    /*
     * Mirrors Elixir's lib/elixir/lib/agent.ex + agent/server.ex: an Agent is a GenServer whose
     * messages carry the functions. State type erasure: the server holds Object and the typed
     * client functions cast; an agent's state type is the caller's promise, as in Elixir.
     */
    private Agent() {}

    /// The reply and the new state of [#getAndUpdate].
    ///
    /// @param reply what the caller receives
    /// @param state the agent's new state
    public record Result<R, S>(R reply, S state) {
        public Result {
            Objects.requireNonNull(reply, "reply");
            Objects.requireNonNull(state, "state");
        }
    }

    /// A [Result].
    public static <R, S> Result<R, S> result(R reply, S state) {
        return new Result<>(reply, state);
    }

    /// Starts an agent whose state is `init`'s result (run inside the agent), without a link.
    public static <S> StartResult start(Supplier<S> init) {
        return start(init, StartOptions.defaults());
    }

    /// Starts an agent without a link, with `options` (name, start timeout, label).
    public static <S> StartResult start(Supplier<S> init, StartOptions options) {
        return GenServer.start(new Server(init), withLabel(options));
    }

    /// Starts an agent linked to the caller.
    public static <S> StartResult startLink(Supplier<S> init, StartOptions options) {
        return GenServer.startLink(new Server(init), withLabel(options));
    }

    /// The result of `fun` applied to the state.
    public static <S, R> R get(Pid agent, Function<S, R> fun) {
        return get(agent, fun, GenServer.DEFAULT_CALL_TIMEOUT);
    }

    /// The result of `fun` applied to the state, waiting at most `timeout`.
    public static <S, R> R get(Pid agent, Function<S, R> fun, Duration timeout) {
        return GenServer.call(agent, new Get<>(fun), timeout);
    }

    /// Replaces the state with `fun` applied to it; returns once done.
    public static <S> void update(Pid agent, UnaryOperator<S> fun) {
        update(agent, fun, GenServer.DEFAULT_CALL_TIMEOUT);
    }

    /// Replaces the state with `fun` applied to it, waiting at most `timeout`.
    public static <S> void update(Pid agent, UnaryOperator<S> fun, Duration timeout) {
        GenServer.call(agent, new Update<>(fun), timeout);
    }

    /// Applies `fun` to the state: the caller gets its [Result#reply()], the agent keeps its
    /// [Result#state()].
    public static <S, R> R getAndUpdate(Pid agent, Function<S, Result<R, S>> fun) {
        return getAndUpdate(agent, fun, GenServer.DEFAULT_CALL_TIMEOUT);
    }

    /// [#getAndUpdate(Pid, Function)] waiting at most `timeout`.
    public static <S, R> R getAndUpdate(Pid agent, Function<S, Result<R, S>> fun, Duration timeout) {
        return GenServer.call(agent, new GetAndUpdate<>(fun), timeout);
    }

    /// Replaces the state with `fun` applied to it, without waiting.
    public static <S> void cast(Pid agent, UnaryOperator<S> fun) {
        GenServer.cast(agent, new Cast<>(fun));
    }

    /// Stops the agent with `normal` and waits until it has exited.
    public static void stop(Pid agent) {
        GenServer.stop(agent);
    }

    /// Stops the agent with `reason`, waiting at most `timeout` ([GenServer#stop(Pid, ExitReason, Duration)]).
    public static void stop(Pid agent, ExitReason reason, Duration timeout) {
        GenServer.stop(agent, reason, timeout);
    }

    private static StartOptions withLabel(StartOptions options) {
        return options.label() != null ? options : options.label("Agent");
    }

    private sealed interface Msg {}

    private record Get<S, R>(Function<S, R> fun) implements Msg, Call<R> {}

    private record Update<S>(UnaryOperator<S> fun) implements Msg, Call<Boolean> {}

    private record GetAndUpdate<S, R>(Function<S, Result<R, S>> fun) implements Msg, Call<R> {}

    private record Cast<S>(UnaryOperator<S> fun) implements Msg {}

    /// The agent's server: state of type Object, functions cast to the caller's state type.
    private record Server(Supplier<?> initial) implements GenServer<Msg, Object> {
        @Override
        public Init<Object> init() {
            return Init.ok(Objects.requireNonNull(initial.get(), "an agent's initial state must not be null"));
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public Next<Object> handle(Msg msg, Object state) {
            return switch (msg) {
                case Get g -> Next.reply(g, Objects.requireNonNull(g.fun().apply(state)), state);
                case Update u ->
                    Next.reply(u, Boolean.TRUE, Objects.requireNonNull(u.fun().apply(state)));
                case GetAndUpdate gu -> {
                    Result<?, ?> r = (Result<?, ?>) gu.fun().apply(state);
                    yield Next.reply(gu, r.reply(), r.state());
                }
                case Cast c -> Next.noreply(Objects.requireNonNull(c.fun().apply(state)));
            };
        }
    }
}
