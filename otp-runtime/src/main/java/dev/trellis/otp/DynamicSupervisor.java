package dev.trellis.otp;

import java.time.Duration;
import java.util.List;

/// A supervisor that starts with no children and has them added one by one, often many of them
/// (Elixir's `DynamicSupervisor`, the modern `simple_one_for_one`): one bucket, connection or
/// job per child.
///
/// Each child is started from its own [ChildSpec] with [#startChild(Pid, ChildSpec)] and is
/// identified by its pid. Children are restarted one for one by their restart type, within the
/// restart intensity ([DynamicSupervisorFlags#maxRestarts()] in
/// [DynamicSupervisorFlags#maxSeconds()]); past it the supervisor stops all children and exits
/// with [ExitReason#SHUTDOWN]. When it stops, it stops all children **in parallel**: every child
/// gets its exit signal first, then the supervisor waits for all of them, so stopping takes about
/// the longest shutdown, not their sum.
///
/// ## Examples
///
/// ```java
/// Pid buckets = DynamicSupervisor.startLink(DynamicSupervisorFlags.defaults(),
///         StartOptions.defaults().name("kv_bucket_supervisor")).orThrow();
/// ChildSpec bucket = ChildSpec.worker("bucket", () -> GenServer.startLink(new Bucket()))
///         .restart(ChildSpec.Restart.TEMPORARY);
/// Pid b = DynamicSupervisor.startChild(buckets, bucket).orThrow();
/// DynamicSupervisor.countChildren(buckets);       // ChildCounts[specs=1, active=1, supervisors=0, workers=1]
/// DynamicSupervisor.terminateChild(buckets, b);   // Terminated
/// ```
///
/// With extra arguments, given to every child's start function on every (re)start, as Elixir's
/// `extra_arguments` are prepended to the child's arguments:
///
/// ```java
/// Pid pool = DynamicSupervisor.startLink(DynamicSupervisorFlags.defaults().extraArguments(List.of(config))).orThrow();
/// DynamicSupervisor.startChild(pool, ChildSpec.worker("conn",
///         extra -> GenServer.startLink(new Connection((Config) extra.get(0), host))));
/// ```
///
/// ## How to supervise
///
/// Put it in a [Supervisor] with [#childSpec(Object, DynamicSupervisorFlags, StartOptions)]
/// (type [ChildSpec.Type#SUPERVISOR], permanent, shutdown [ChildSpec.Shutdown#infinity()]).
///
/// ## Options
///
/// See [DynamicSupervisorFlags] (3 restarts in 5 s, no limit on children, no extra arguments)
/// and [StartOptions] (`name`; `label`, default `dev.trellis.otp.DynamicSupervisor`). Client
/// functions wait for the supervisor as long as it takes (Elixir's `:infinity`).
///
/// ## Outcomes
///
/// - [#startChild(Pid, ChildSpec)]: [Started]; [Ignored] or [Failed], and nothing is kept;
///   [MaxChildren] when it already has `maxChildren` children, restarting ones included.
/// - [#terminateChild(Pid, Pid)]: [Terminated] once the child is stopped as its shutdown says and
///   forgotten (a restarting child is just forgotten); [NotFound].
/// - A child exits: a permanent child is restarted; a transient one is restarted unless the reason
///   is clean ([ExitReason#isClean()]), else forgotten; a temporary one is forgotten. A failed
///   restart is retried (the child shows as restarting), each attempt counting as a restart.
/// - The intensity is exceeded: all children are stopped in parallel and the supervisor exits
///   `shutdown`, logging `reached_max_restart_intensity`.
///
/// ## Differences from Elixir
///
/// - A child's start function receives the extra arguments as a list instead of having them
///   prepended to an `{M, F, A}` argument list.
/// - `whichChildren` reports each child's spec id (Elixir reports `:undefined`), restart count
///   and last exit reason.
/// - Significant children are rejected with [IllegalArgumentException] (Elixir:
///   `{:error, {:invalid_significant, true}}`).
public final class DynamicSupervisor {
    /*
     * Maintainer notes.
     *
     * Client side only; the process is DynamicSupervisorServer (a GenServer, so Sys works on it),
     * children are stopped by ChildShutdown.stopAll (Elixir's terminate_children/2), restarts
     * are bounded by RestartIntensity. Mirrors lib/elixir/lib/dynamic_supervisor.ex.
     *
     * Invariant: nothing about a temporary child is retained once it has exited, so a
     * supervisor of millions of short-lived children does not grow (tested with 10,000).
     */

    private DynamicSupervisor() {}

    // ---- results ------------------------------------------------------------------------

    /// The outcome of [#startChild(Pid, ChildSpec)]: Elixir's `{:ok, pid} | :ignore |
    /// {:error, :max_children} | {:error, reason}`.
    public sealed interface StartChildResult permits Started, Ignored, Failed, MaxChildren {
        /// The started pid.
        ///
        /// @throws ExitException for any other outcome, with the failure's reason
        default Pid orThrow() {
            return switch (this) {
                case Started s -> s.pid();
                case Failed f -> throw new ExitException(f.reason(), "start_child");
                case Ignored i -> throw new ExitException(ExitReason.other("ignore"), "start_child");
                case MaxChildren m -> throw new ExitException(ExitReason.other("max_children"), "start_child");
            };
        }
    }

    /// The outcome of [#terminateChild(Pid, Pid)]: Elixir's `:ok | {:error, :not_found}`.
    public sealed interface TerminateChildResult permits Terminated, NotFound {}

    /// The child was started and is supervised.
    public record Started(Pid pid) implements StartChildResult {}

    /// The child's start returned [StartResult.Ignore]; nothing was kept.
    public record Ignored() implements StartChildResult {}

    /// The child's start failed with `reason` (an exception is [ExitReason.Crash]; a name taken by
    /// another process is `other(StartResult.AlreadyStarted(pid))`); nothing was kept.
    public record Failed(ExitReason reason) implements StartChildResult {}

    /// The supervisor already has [DynamicSupervisorFlags#maxChildren()] children.
    public record MaxChildren() implements StartChildResult {}

    /// The child was stopped and forgotten.
    public record Terminated() implements TerminateChildResult {}

    /// `pid` is not a child of this supervisor.
    public record NotFound() implements TerminateChildResult {}

    // ---- starting -----------------------------------------------------------------------

    /// Starts a dynamic supervisor without a link.
    public static StartResult start(DynamicSupervisorFlags flags) {
        return start(flags, StartOptions.defaults());
    }

    /// Starts a dynamic supervisor without a link, with `options`.
    public static StartResult start(DynamicSupervisorFlags flags, StartOptions options) {
        return GenServer.start(new DynamicSupervisorServer(flags, options.name()), label(options));
    }

    /// Starts a dynamic supervisor linked to the calling process.
    ///
    /// @throws IllegalStateException outside a process
    public static StartResult startLink(DynamicSupervisorFlags flags) {
        return startLink(flags, StartOptions.defaults());
    }

    /// Starts a dynamic supervisor linked to the calling process, with `options`.
    ///
    /// @throws IllegalStateException outside a process
    public static StartResult startLink(DynamicSupervisorFlags flags, StartOptions options) {
        return GenServer.startLink(new DynamicSupervisorServer(flags, options.name()), label(options));
    }

    /// The spec of a dynamic supervisor as a child of another supervisor: type
    /// [ChildSpec.Type#SUPERVISOR], permanent, shutdown [ChildSpec.Shutdown#infinity()].
    public static ChildSpec childSpec(Object id, DynamicSupervisorFlags flags, StartOptions options) {
        return ChildSpec.supervisor(id, () -> startLink(flags, options));
    }

    /// Stops `sup` with `normal`: it stops its children in parallel, then exits; returns once it
    /// has exited.
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

    /// Starts a child of `sup` from `spec` (its start function receives the supervisor's extra
    /// arguments). See "Outcomes".
    ///
    /// @throws IllegalArgumentException if `spec` is significant
    public static StartChildResult startChild(Pid sup, ChildSpec spec) {
        if (spec.isSignificant()) {
            throw new IllegalArgumentException(
                    "child " + spec.id() + ": a DynamicSupervisor does not support significant children");
        }
        return GenServer.call(sup, new DynamicSupervisorServer.StartChild(spec), Kernel.INFINITY);
    }

    /// Starts a child of the dynamic supervisor registered as `sup`.
    public static StartChildResult startChild(Name sup, ChildSpec spec) {
        return startChild(resolve(sup), spec);
    }

    /// Stops the child `pid` of `sup` as its shutdown says and forgets it.
    public static TerminateChildResult terminateChild(Pid sup, Pid pid) {
        return GenServer.call(sup, new DynamicSupervisorServer.TerminateChild(pid), Kernel.INFINITY);
    }

    /// Stops the child `pid` of the dynamic supervisor registered as `sup`.
    public static TerminateChildResult terminateChild(Name sup, Pid pid) {
        return terminateChild(resolve(sup), pid);
    }

    /// The children of `sup`, in start order (a restarted child moves to the end).
    public static List<ChildInfo> whichChildren(Pid sup) {
        return GenServer.call(sup, new DynamicSupervisorServer.WhichChildren(), Kernel.INFINITY);
    }

    /// The children of the dynamic supervisor registered as `sup`.
    public static List<ChildInfo> whichChildren(Name sup) {
        return whichChildren(resolve(sup));
    }

    /// Counts the children of `sup`: `specs` all of them, `active` those not restarting.
    public static ChildCounts countChildren(Pid sup) {
        return GenServer.call(sup, new DynamicSupervisorServer.CountChildren(), Kernel.INFINITY);
    }

    /// Counts the children of the dynamic supervisor registered as `sup`.
    public static ChildCounts countChildren(Name sup) {
        return countChildren(resolve(sup));
    }

    private static StartOptions label(StartOptions options) {
        return options.label() != null ? options : options.label(DynamicSupervisor.class.getName());
    }

    private static Pid resolve(Name name) {
        return name.whereis().orElseThrow(() -> new ExitException(ExitReason.NOPROC, "supervisor " + name));
    }
}
