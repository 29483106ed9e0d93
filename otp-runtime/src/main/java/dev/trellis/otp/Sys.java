package dev.trellis.otp;

import java.time.Duration;
import java.util.function.UnaryOperator;

/// Debugging access to any running behaviour process ([GenServer], [Agent], supervisors), as
/// Erlang's `sys` module: read or replace its state, suspend and resume it, read its statistics.
///
/// These are calls answered by the behaviour's loop itself, never by user callbacks, and they
/// work while the process is suspended. Use them for debugging and tests, not as an API:
/// the state's shape is the server's own business.
///
/// ## Examples
///
/// ```java
/// Object state = Sys.getState(server);
/// Sys.suspend(server);          // calls and casts now queue up
/// Sys.replaceState(server, (Integer n) -> n + 1);
/// Sys.resume(server);           // …and are handled, in order
/// ```
///
/// Each function waits [GenServer#DEFAULT_CALL_TIMEOUT] and fails like [GenServer#call] (with
/// [ExitException]) if the process is not alive or does not answer.
public final class Sys {
    private Sys() {}

    /// What [#statistics(Pid)] reports.
    ///
    /// @param uptime time since the process started, on its clock
    /// @param messagesIn messages it has taken from its mailbox
    /// @param calls calls it has handled
    /// @param casts casts it has handled
    /// @param infos other messages it has handled
    /// @param suspended whether it is suspended
    public record Statistics(Duration uptime, long messagesIn, long calls, long casts, long infos, boolean suspended) {}

    /// The state of `pid` (Erlang's `sys:get_state/1`).
    public static Object getState(Pid pid) {
        return ServerLoop.call(pid, new GenMessages.GetState(), GenServer.DEFAULT_CALL_TIMEOUT);
    }

    /// The state of `pid`, waiting at most `timeout` for it (Erlang's `sys:get_state/2`): a tool
    /// that must not hang on a busy process uses a short one.
    ///
    /// @throws ExitException `timeout` if it does not answer in time, or the reason it is gone
    public static Object getState(Pid pid, Duration timeout) {
        return ServerLoop.call(pid, new GenMessages.GetState(), timeout);
    }

    /// Replaces the state of `pid` with `replace` applied to it, inside the process, and returns
    /// the new state (Erlang's `sys:replace_state/2`). A `replace` that throws crashes the process.
    @SuppressWarnings("unchecked")
    public static <S> S replaceState(Pid pid, UnaryOperator<S> replace) {
        UnaryOperator<Object> any = s -> replace.apply((S) s);
        return ServerLoop.call(pid, new GenMessages.ReplaceState(any), GenServer.DEFAULT_CALL_TIMEOUT);
    }

    /// Suspends `pid`: until [#resume(Pid)], it answers only these system calls; other messages
    /// wait in its mailbox (Erlang's `sys:suspend/1`).
    public static void suspend(Pid pid) {
        ServerLoop.call(pid, new GenMessages.Suspend(), GenServer.DEFAULT_CALL_TIMEOUT);
    }

    /// Resumes a suspended `pid`.
    public static void resume(Pid pid) {
        ServerLoop.call(pid, new GenMessages.Resume(), GenServer.DEFAULT_CALL_TIMEOUT);
    }

    /// The counters of `pid` (Erlang's `sys:statistics/2`, always on).
    public static Statistics statistics(Pid pid) {
        return ServerLoop.call(pid, new GenMessages.GetStatistics(), GenServer.DEFAULT_CALL_TIMEOUT);
    }
}
