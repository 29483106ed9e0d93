package dev.trellis.otp;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/// A server process: state kept inside one process, changed only by the messages it handles,
/// with synchronous calls, asynchronous casts and out-of-band info messages (Erlang's
/// `gen_server`, Elixir's `GenServer`).
///
/// Implement [#init()] and [#handle(Object, Object)] over a sealed protocol `M`; the requests
/// that want a reply implement [Call], so [#call(Pid, Call)] infers the reply type. Put the
/// client functions beside the callbacks as static methods, so callers never build messages.
///
/// ## Examples
///
/// ```java
/// final class Counter implements GenServer<Counter.Msg, Integer> {
///     sealed interface Msg {}
///     record Increment() implements Msg {}
///     record Get() implements Msg, Call<Integer> {}
///
///     static Pid start() { return GenServer.start(new Counter()).orThrow(); }
///     static void increment(Pid counter) { GenServer.cast(counter, new Increment()); }
///     static int get(Pid counter) { return GenServer.call(counter, new Get()); }
///
///     public Init<Integer> init() { return Init.ok(0); }
///
///     public Next<Integer> handle(Msg msg, Integer n) {
///         return switch (msg) {
///             case Increment i -> Next.noreply(n + 1);
///             case Get g -> Next.reply(g, n, n);
///         };
///     }
/// }
/// ```
///
/// ## How to supervise
///
/// A supervisor starts it with [#startLink(GenServer, StartOptions)] in a child spec. Call
/// [Kernel#trapExit(boolean)] in `init` if [#terminate(ExitReason, Object)] must run when the
/// supervisor shuts the server down: a trapping server that receives the exit signal of its
/// parent runs `terminate` and exits with the same reason; a server that does not trap is killed
/// by the signal without running `terminate`, as in Erlang.
///
/// ## Outcomes
///
/// - `init` returns [Init#ok(Object)]: `start` returns [StartResult.Ok]; [Init#ignore()]:
///   [StartResult.Ignore]; [Init#stop(ExitReason)] or an exception: [StartResult.Failed], and the
///   name, if any, is free again when `start` returns. A name already taken:
///   [StartResult.AlreadyStarted].
/// - A callback that throws: [#terminate(ExitReason, Object)] runs with [ExitReason.Crash], one
///   error report is logged (server, last message, state, reason), the process exits with the
///   crash. Stopping with `normal` or `shutdown` logs nothing at error level.
/// - [#call(Pid, Call, Duration)]: the reply; or [ExitException] with the server's exit reason if
///   it exits first, [ExitReason#NOPROC] if it is not alive, [#TIMEOUT] if no reply came in time
///   (a late reply is dropped, it never reaches the caller's mailbox), or `calling_self` if a
///   server calls itself.
///
/// ## Differences from Erlang
///
/// - One `handle` receives calls and casts; the [Call] marker tells them apart.
/// - Replies must not be `null`.
public interface GenServer<M, S> {

    /// The default call timeout: 5 seconds.
    Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(5);

    /// The exit reason of a call that timed out: `timeout`.
    ExitReason TIMEOUT = ExitReason.other("timeout");

    /// The message [#handleInfo(Object, Object)] receives when an idle timeout expires.
    record Timeout() {}

    /// Runs in the new process before `start` returns; returns the initial state.
    Init<S> init() throws Exception;

    /// Handles a call (a message implementing [Call], reply with [Next#reply(Call, Object, Object)])
    /// or a cast.
    Next<S> handle(M message, S state) throws Exception;

    /// Handles any other message: monitors' [Down], trapped [Exit]s, timer messages, [Timeout].
    /// The default logs the unexpected message at warning level and keeps the state.
    default Next<S> handleInfo(Object message, S state) throws Exception {
        ServerLoop.LOG.warn("{} received unexpected message in handleInfo: {}", Kernel.self(), message);
        return Next.noreply(state);
    }

    /// Runs the continue step asked for by [Init.Ok#thenContinue(Object)] or a `thenContinue`
    /// result, before the next message. The default throws: a server that asks for a continue
    /// must implement it.
    default Next<S> handleContinue(Object cont, S state) throws Exception {
        throw new UnsupportedOperationException(
                getClass().getName() + " asked to continue with " + cont + " but does not implement handleContinue");
    }

    /// Cleans up before the process exits with `reason` (see "How to supervise").
    default void terminate(ExitReason reason, S state) throws Exception {}

    /// The state as crash reports and [Sys] show it; the default is `toString`, cut at 1,000
    /// characters.
    default String describe(S state) {
        String s = String.valueOf(state);
        return s.length() <= 1000 ? s : s.substring(0, 1000) + "…";
    }

    // ---- starting -----------------------------------------------------------------------

    /// Starts `server` without a link.
    static StartResult start(GenServer<?, ?> server) {
        return start(server, StartOptions.defaults());
    }

    /// Starts `server` without a link, with `options`.
    static StartResult start(GenServer<?, ?> server, StartOptions options) {
        return ServerLoop.start(server, options, false);
    }

    /// Starts `server` linked to the calling process (how supervisors start their children).
    static StartResult startLink(GenServer<?, ?> server) {
        return startLink(server, StartOptions.defaults());
    }

    /// Starts `server` linked to the calling process, with `options`.
    ///
    /// @throws IllegalStateException outside a process
    static StartResult startLink(GenServer<?, ?> server, StartOptions options) {
        return ServerLoop.start(server, options, true);
    }

    // ---- client functions ---------------------------------------------------------------

    /// Calls `server` with the [#DEFAULT_CALL_TIMEOUT].
    static <R> R call(Pid server, Call<R> request) {
        return call(server, request, DEFAULT_CALL_TIMEOUT);
    }

    /// Sends `request` to `server` and waits up to `timeout` for its reply (see "Outcomes").
    static <R> R call(Pid server, Call<R> request, Duration timeout) {
        return ServerLoop.call(server, request, timeout);
    }

    /// Calls the server registered as `name`.
    static <R> R call(Name name, Call<R> request) {
        return call(name, request, DEFAULT_CALL_TIMEOUT);
    }

    /// Calls the server registered as `name`; [ExitReason#NOPROC] if there is none.
    static <R> R call(Name name, Call<R> request, Duration timeout) {
        return call(resolve(name), request, timeout);
    }

    /// Sends `request` to `server` without waiting. Never fails.
    static void cast(Pid server, Object request) {
        Kernel.send(server, new GenMessages.CastRequest(Objects.requireNonNull(request, "request")));
    }

    /// Casts to the server registered as `name`; does nothing if there is none (as Erlang).
    static void cast(Name name, Object request) {
        name.whereis().ifPresent(pid -> cast(pid, request));
    }

    /// The caller of `request`, the call being handled now, for a reply after `handle` returns.
    ///
    /// @throws IllegalStateException outside `handle`, or for another request
    static <R> From<R> replyLater(Call<R> request) {
        return ServerLoop.replyLater(request);
    }

    /// Stops `server` with `normal` and waits for it (Erlang's `gen_server:stop/1`).
    static void stop(Pid server) {
        stop(server, ExitReason.NORMAL, Kernel.INFINITY);
    }

    /// Stops `server`: it runs [#terminate(ExitReason, Object)] and exits with `reason`; returns
    /// once it has exited.
    ///
    /// @throws ExitException [ExitReason#NOPROC] if it is not alive, [#TIMEOUT] if it has not
    ///     exited within `timeout`, the reason it exited with if that differs from `reason`, or
    ///     `calling_self` if a server stops itself this way (return [Next#stop] instead)
    static void stop(Pid server, ExitReason reason, Duration timeout) {
        ServerLoop.stop(server, reason, timeout);
    }

    private static Pid resolve(Name name) {
        Optional<Pid> pid = name.whereis();
        if (pid.isEmpty()) {
            throw new ExitException(ExitReason.NOPROC, "call to " + name);
        }
        return pid.get();
    }
}
