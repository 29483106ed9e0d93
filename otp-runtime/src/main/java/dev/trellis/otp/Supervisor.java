package dev.trellis.otp;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/// A process that starts, watches and restarts other processes, its children (Erlang's
/// `supervisor`, Elixir's `Supervisor`): the building block of "let it crash".
///
/// A supervisor starts its children in the order of their [ChildSpec]s, each linked to it, and
/// traps exits. When a child exits, its [ChildSpec.Restart] type and the exit reason decide
/// whether it is restarted; the [SupervisorFlags.Strategy] decides which siblings are restarted
/// with it; the restart intensity ([SupervisorFlags#intensity()] restarts within
/// [SupervisorFlags#period()]) bounds how often, after which the supervisor gives up: it stops
/// all children and exits with [ExitReason#SHUTDOWN], so its own supervisor can try a bigger
/// restart (escalation). When the supervisor stops, it stops its children in reverse start
/// order, each as its [ChildSpec.Shutdown] says.
///
/// ## Examples
///
/// ```java
/// List<ChildSpec> children = List.of(
///         ChildSpec.supervisor("buckets", () -> DynamicSupervisor.startLink(DynamicSupervisorFlags.defaults())),
///         ChildSpec.worker("registry", () -> GenServer.startLink(new KvRegistry())));
/// Pid sup = Supervisor.startLink(children, SupervisorFlags.oneForAll()).orThrow();
///
/// Supervisor.whichChildren(sup);              // [ChildInfo[id=buckets, pid=<0.81.0>, ...], ChildInfo[id=registry,
/// ...]]
/// Supervisor.countChildren(sup);              // ChildCounts[specs=2, active=2, supervisors=1, workers=1]
/// Supervisor.terminateChild(sup, "registry"); // Terminated: stopped, spec kept
/// Supervisor.restartChild(sup, "registry");   // Started[pid=<0.85.0>]
/// Supervisor.stop(sup);                       // stops "registry", then "buckets"
/// ```
///
/// ## How to supervise
///
/// A supervisor is a child like any other: give its parent [#childSpec(Object, List,
/// SupervisorFlags)] (type [ChildSpec.Type#SUPERVISOR], shutdown [ChildSpec.Shutdown#infinity()],
/// permanent). When it gives up (intensity exceeded, or an auto shutdown), it exits with
/// `shutdown`, which its parent handles as the exit of that child.
///
/// ## Restarts
///
/// | restart \ exit reason | `normal` | `shutdown`, `{shutdown, _}` | anything else |
/// |---|---|---|---|
/// | [ChildSpec.Restart#PERMANENT] | restarted | restarted | restarted |
/// | [ChildSpec.Restart#TRANSIENT] | kept, not running | kept, not running | restarted |
/// | [ChildSpec.Restart#TEMPORARY] | forgotten | forgotten | forgotten |
///
/// Every restart counts against the intensity; under [SupervisorFlags.Strategy#ONE_FOR_ALL] the
/// other children are stopped (reverse order) and all started again in order, under
/// [SupervisorFlags.Strategy#REST_FOR_ONE] only those started after the exited one. Temporary
/// siblings stopped this way are forgotten. A restart whose start fails is retried (the child is
/// reported `restarting` meanwhile), each attempt counting as a restart. Every abnormal exit is
/// logged as a `child_terminated` error report, a failed restart as `start_error`, giving up as
/// one `reached_max_restart_intensity` report, all under the logger `dev.trellis.otp.Supervisor`.
///
/// ## Options
///
/// Start options ([StartOptions]): `name` registers the supervisor, `timeout` bounds the start of
/// all children (default: none), `label` describes it to tools (default
/// `dev.trellis.otp.Supervisor`). Flags: see [SupervisorFlags] (one_for_one, 3 restarts in 5 s,
/// no auto shutdown). Client functions wait for the supervisor as long as it takes (Erlang's
/// `infinity`), since they may start or stop children.
///
/// ## Outcomes of start
///
/// - [StartResult.Ok]: every child started (or ignored).
/// - [StartResult.Failed] with `{shutdown, FailedToStartChild(id, reason)}`: child `id` failed to
///   start (returned [StartResult.Failed] or [StartResult.AlreadyStarted], or threw); the children
///   started before it were stopped in reverse order, and nothing is left running.
/// - [StartResult.AlreadyStarted]: the name is taken.
/// - [IllegalArgumentException], thrown by `start` itself: two specs with the same id, or a
///   significant child that is permanent or under [SupervisorFlags.AutoShutdown#NEVER].
///
/// ## Differences from OTP
///
/// - No callback module: the children and flags are given to `start` (Elixir's
///   `Supervisor.start_link(children, opts)`); a module-based supervisor is a static method
///   returning them.
/// - Invalid child specs are [IllegalArgumentException]s, not `{error, Reason}` values.
/// - `whichChildren` also reports each child's restart count and last exit reason.
/// - No `simple_one_for_one`: use [DynamicSupervisor].
public final class Supervisor {
    /*
     * Maintainer notes.
     *
     * This class is the client side (argument checks, calls); the process is SupervisorServer,
     * a GenServer, so Sys works on supervisors; ChildStarter starts one child, ChildShutdown
     * stops one (or many in parallel); RestartIntensity keeps the restart window;
     * SupervisorReports logs. Mirrors supervisor.erl of OTP 27 (see SupervisorServer for the
     * clause-by-clause correspondence).
     *
     * Invariant of the API: results are values (the sealed types below), invalid specs throw
     * IllegalArgumentException in the caller (or, for a check that needs the supervisor's flags,
     * are sent back by the supervisor and rethrown here), and calls use an infinite timeout as
     * supervisor:call/2 does.
     */

    private Supervisor() {}

    // ---- results ------------------------------------------------------------------------

    /// The outcome of [#startChild(Pid, ChildSpec)]: Erlang's `{ok, Pid} | {ok, undefined} |
    /// {error, {already_started, Pid}} | {error, already_present} | {error, Reason}`.
    public sealed interface StartChildResult permits Started, Ignored, Failed, AlreadyStarted, AlreadyPresent {
        /// The started pid.
        ///
        /// @throws ExitException for any other outcome, with the failure's reason
        default Pid orThrow() {
            return switch (this) {
                case Started s -> s.pid();
                case Failed f -> throw new ExitException(f.reason(), "start_child");
                default -> throw new ExitException(ExitReason.other(this), "start_child");
            };
        }
    }

    /// The outcome of [#restartChild(Pid, Object)]: Erlang's `{ok, Pid} | {ok, undefined} |
    /// {error, running | restarting | not_found | Reason}`.
    public sealed interface RestartChildResult permits Started, Ignored, Failed, Running, Restarting, NotFound {}

    /// The outcome of [#deleteChild(Pid, Object)]: Erlang's `ok | {error, running | restarting |
    /// not_found}`.
    public sealed interface DeleteChildResult permits Deleted, Running, Restarting, NotFound {}

    /// The outcome of [#terminateChild(Pid, Object)]: Erlang's `ok | {error, not_found}`.
    public sealed interface TerminateChildResult permits Terminated, NotFound {}

    /// The child was started and is supervised.
    public record Started(Pid pid) implements StartChildResult, RestartChildResult {}

    /// The child's start returned [StartResult.Ignore]: no process; the spec is kept unless the
    /// child is temporary.
    public record Ignored() implements StartChildResult, RestartChildResult {}

    /// The child's start failed with `reason` (an exception is [ExitReason.Crash]; a name taken
    /// by another process is `other(StartResult.AlreadyStarted(pid))`); nothing was kept.
    public record Failed(ExitReason reason) implements StartChildResult, RestartChildResult {}

    /// A child with this id is already running as `pid`, or its start found its name taken by
    /// `pid`.
    public record AlreadyStarted(Pid pid) implements StartChildResult {}

    /// A child with this id exists but is not running: restart or delete it first.
    public record AlreadyPresent() implements StartChildResult {}

    /// The child is running.
    public record Running() implements RestartChildResult, DeleteChildResult {}

    /// The child's restart failed and is being retried.
    public record Restarting() implements RestartChildResult, DeleteChildResult {}

    /// No child has this id.
    public record NotFound() implements RestartChildResult, DeleteChildResult, TerminateChildResult {}

    /// The spec was removed.
    public record Deleted() implements DeleteChildResult {}

    /// The child was stopped (if it was running); a temporary child's spec is gone, another
    /// child's spec is kept for [#restartChild(Pid, Object)].
    public record Terminated() implements TerminateChildResult {}

    /// The detail of the `{shutdown, _}` reason of a supervisor whose child `id` failed to start
    /// with `reason` (Erlang's `{failed_to_start_child, Id, Reason}`).
    public record FailedToStartChild(Object id, ExitReason reason) {}

    // ---- starting -----------------------------------------------------------------------

    /// Starts a supervisor of `children` without a link (see "Outcomes of start").
    public static StartResult start(List<ChildSpec> children, SupervisorFlags flags) {
        return start(children, flags, StartOptions.defaults());
    }

    /// Starts a supervisor of `children` without a link, with `options`.
    public static StartResult start(List<ChildSpec> children, SupervisorFlags flags, StartOptions options) {
        return GenServer.start(server(children, flags, options), label(options));
    }

    /// Starts a supervisor of `children` linked to the calling process (how a parent supervisor
    /// starts it).
    ///
    /// @throws IllegalStateException outside a process
    public static StartResult startLink(List<ChildSpec> children, SupervisorFlags flags) {
        return startLink(children, flags, StartOptions.defaults());
    }

    /// Starts a supervisor of `children` linked to the calling process, with `options`.
    ///
    /// @throws IllegalStateException outside a process
    public static StartResult startLink(List<ChildSpec> children, SupervisorFlags flags, StartOptions options) {
        return GenServer.startLink(server(children, flags, options), label(options));
    }

    /// The spec of a supervisor of `children` as a child of another supervisor: type
    /// [ChildSpec.Type#SUPERVISOR], permanent, shutdown [ChildSpec.Shutdown#infinity()].
    public static ChildSpec childSpec(Object id, List<ChildSpec> children, SupervisorFlags flags) {
        return childSpec(id, children, flags, StartOptions.defaults());
    }

    /// Like [#childSpec(Object, List, SupervisorFlags)], started with `options`.
    public static ChildSpec childSpec(
            Object id, List<ChildSpec> children, SupervisorFlags flags, StartOptions options) {
        List<ChildSpec> copy = List.copyOf(children);
        check(copy, flags);
        return ChildSpec.supervisor(id, () -> startLink(copy, flags, options));
    }

    /// Stops `sup` with `normal`: it stops its children in reverse order, then exits; returns once
    /// it has exited.
    ///
    /// @throws ExitException [ExitReason#NOPROC] if it is not alive
    public static void stop(Pid sup) {
        GenServer.stop(sup, ExitReason.NORMAL, Kernel.INFINITY);
    }

    /// Stops `sup` with `reason`, waiting at most `timeout` (see [GenServer#stop(Pid, ExitReason,
    /// Duration)]).
    public static void stop(Pid sup, ExitReason reason, Duration timeout) {
        GenServer.stop(sup, reason, timeout);
    }

    // ---- client functions ---------------------------------------------------------------

    /// The children of `sup` in start order (Erlang's `which_children/1`).
    public static List<ChildInfo> whichChildren(Pid sup) {
        return GenServer.call(sup, new SupervisorServer.WhichChildren(), Kernel.INFINITY);
    }

    /// The children of the supervisor registered as `sup`.
    public static List<ChildInfo> whichChildren(Name sup) {
        return whichChildren(resolve(sup));
    }

    /// Counts the children of `sup` (Erlang's `count_children/1`); a child is active if its
    /// process is alive.
    public static ChildCounts countChildren(Pid sup) {
        return GenServer.call(sup, new SupervisorServer.CountChildren(), Kernel.INFINITY);
    }

    /// Counts the children of the supervisor registered as `sup`.
    public static ChildCounts countChildren(Name sup) {
        return countChildren(resolve(sup));
    }

    /// Adds `spec` to `sup` and starts it (Erlang's `start_child/2`); it is stopped first and
    /// restarted by the strategy as if it had been given to `start` last.
    ///
    /// @throws IllegalArgumentException if `spec` is significant and permanent, or significant
    ///     under [SupervisorFlags.AutoShutdown#NEVER]
    public static StartChildResult startChild(Pid sup, ChildSpec spec) {
        if (spec.isSignificant() && spec.restart() == ChildSpec.Restart.PERMANENT) {
            throw new IllegalArgumentException(badCombination(spec));
        }
        Object reply = GenServer.call(sup, new SupervisorServer.StartChild(spec), Kernel.INFINITY);
        if (reply instanceof IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return (StartChildResult) reply;
    }

    /// Adds `spec` to the supervisor registered as `sup` and starts it.
    public static StartChildResult startChild(Name sup, ChildSpec spec) {
        return startChild(resolve(sup), spec);
    }

    /// Stops child `id` of `sup` as its shutdown says (Erlang's `terminate_child/2`). Its spec is
    /// kept for [#restartChild(Pid, Object)], unless it is temporary. Stopping it does not count
    /// as a restart and never triggers an auto shutdown.
    public static TerminateChildResult terminateChild(Pid sup, Object id) {
        return GenServer.call(sup, new SupervisorServer.TerminateChild(id), Kernel.INFINITY);
    }

    /// Stops child `id` of the supervisor registered as `sup`.
    public static TerminateChildResult terminateChild(Name sup, Object id) {
        return terminateChild(resolve(sup), id);
    }

    /// Starts again child `id` of `sup`, which must not be running (Erlang's `restart_child/2`).
    public static RestartChildResult restartChild(Pid sup, Object id) {
        return GenServer.call(sup, new SupervisorServer.RestartChild(id), Kernel.INFINITY);
    }

    /// Starts again child `id` of the supervisor registered as `sup`.
    public static RestartChildResult restartChild(Name sup, Object id) {
        return restartChild(resolve(sup), id);
    }

    /// Removes the spec of child `id` of `sup`, which must not be running (Erlang's
    /// `delete_child/2`).
    public static DeleteChildResult deleteChild(Pid sup, Object id) {
        return GenServer.call(sup, new SupervisorServer.DeleteChild(id), Kernel.INFINITY);
    }

    /// Removes the spec of child `id` of the supervisor registered as `sup`.
    public static DeleteChildResult deleteChild(Name sup, Object id) {
        return deleteChild(resolve(sup), id);
    }

    /// The spec of child `id` of `sup`, if any (Erlang's `get_childspec/2`).
    public static Optional<ChildSpec> getChildSpec(Pid sup, Object id) {
        return GenServer.call(sup, new SupervisorServer.GetChildSpec(id), Kernel.INFINITY);
    }

    // ---- internals ----------------------------------------------------------------------

    private static GenServer<?, ?> server(List<ChildSpec> children, SupervisorFlags flags, StartOptions options) {
        Objects.requireNonNull(flags, "flags");
        List<ChildSpec> copy = List.copyOf(children);
        check(copy, flags);
        return new SupervisorServer(copy, flags, options.name());
    }

    private static StartOptions label(StartOptions options) {
        return options.label() != null ? options : options.label(Supervisor.class.getName());
    }

    /// Throws [IllegalArgumentException] for duplicate ids and invalid significant children
    /// (check_startspec/2 of supervisor.erl).
    private static void check(List<ChildSpec> children, SupervisorFlags flags) {
        Set<Object> ids = new HashSet<>();
        for (ChildSpec spec : children) {
            if (!ids.add(spec.id())) {
                throw new IllegalArgumentException("duplicate child id: " + spec.id());
            }
            String invalid = invalid(spec, flags);
            if (invalid != null) {
                throw new IllegalArgumentException(invalid);
            }
        }
    }

    /// Why `spec` cannot be a child of a supervisor with `flags`, or `null` if it can.
    static @Nullable String invalid(ChildSpec spec, SupervisorFlags flags) {
        if (!spec.isSignificant()) {
            return null;
        }
        if (spec.restart() == ChildSpec.Restart.PERMANENT) {
            return badCombination(spec);
        }
        if (flags.autoShutdown() == SupervisorFlags.AutoShutdown.NEVER) {
            return "child " + spec.id() + ": significant children need an auto shutdown other than NEVER";
        }
        return null;
    }

    private static String badCombination(ChildSpec spec) {
        return "child " + spec.id() + ": a significant child must be TRANSIENT or TEMPORARY, not PERMANENT";
    }

    private static Pid resolve(Name name) {
        return name.whereis().orElseThrow(() -> new ExitException(ExitReason.NOPROC, "supervisor " + name));
    }
}
