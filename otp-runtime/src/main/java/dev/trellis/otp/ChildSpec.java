package dev.trellis.otp;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/// How a supervisor starts, restarts and stops one child: Erlang's `child_spec()` map, Elixir's
/// `Supervisor.child_spec/2`. An immutable value; the withers return modified copies.
///
/// ## Examples
///
/// ```java
/// ChildSpec registry = ChildSpec.worker("registry", () -> GenServer.startLink(new KvRegistry()));
/// ChildSpec bucket = ChildSpec.worker("bucket", () -> Bucket.startLink()).restart(ChildSpec.Restart.TEMPORARY);
/// ChildSpec buckets = ChildSpec.supervisor("buckets", () -> DynamicSupervisor.startLink(flags));
/// ChildSpec fast = registry.shutdown(ChildSpec.Shutdown.brutalKill());
/// ```
///
/// A behaviour exposes its default spec as a static method, as Elixir's `child_spec/1` does, and
/// callers override what they need:
///
/// ```java
/// final class Bucket {
///     static ChildSpec childSpec() {
///         return ChildSpec.worker(Bucket.class, Bucket::startLink).restart(ChildSpec.Restart.TEMPORARY);
///     }
/// }
/// assert Bucket.childSpec().restart() == ChildSpec.Restart.TEMPORARY; // the guide's "are temporary workers"
/// ```
///
/// ## The start function
///
/// [#start()] runs **in the supervisor process** and must start the child linked to it, which is
/// what `startLink` functions do (for example [GenServer#startLink(GenServer, StartOptions)]).
/// It receives the supervisor's extra arguments ([DynamicSupervisorFlags#extraArguments()],
/// empty under a [Supervisor]); the [Supplier] factories ignore them. Its outcome:
///
/// | start returns / throws | the supervisor |
/// |---|---|
/// | [StartResult.Ok] | supervises the pid |
/// | [StartResult.Ignore] | keeps the spec without a process (a temporary child is forgotten) |
/// | [StartResult.Failed], [StartResult.AlreadyStarted], an exception | treats the start as failed |
///
/// A method reference to an overloaded `startLink` can be ambiguous between the two `worker` (or
/// `supervisor`) factories; write a lambda then.
///
/// ## Options
///
/// | component | default | meaning |
/// |---|---|---|
/// | [#id()] | (required) | identifies the child within a [Supervisor]; any value with `equals` |
/// | [#start()] | (required) | starts the child, linked to the calling supervisor |
/// | [#restart()] | [Restart#PERMANENT] | when the child is restarted (see [Restart]) |
/// | [#shutdown()] | 5 s for workers, [Shutdown#infinity()] for supervisors | how the child is stopped |
/// | [#type()] | set by the factory | [Type#WORKER] or [Type#SUPERVISOR]; reported by `whichChildren` |
/// | [#isSignificant()] | `false` | may shut the supervisor down ([SupervisorFlags.AutoShutdown]) |
///
/// ## Differences from OTP
///
/// - `start` is a function, not an `{M, F, A}` tuple; a [DynamicSupervisor]'s extra arguments
///   reach it as a list instead of being prepended to `A`.
/// - No `modules` (there is no hot code upgrade).
/// - The significant flag is [#isSignificant()]; [#significant()] is the wither.
///
/// @param id identifies the child within its supervisor
/// @param start starts the child, linked to the calling supervisor
/// @param restart when the child is restarted
/// @param shutdown how the child is stopped
/// @param type worker or supervisor
/// @param isSignificant whether its exit counts for [SupervisorFlags.AutoShutdown]
public record ChildSpec(Object id, Start start, Restart restart, Shutdown shutdown, Type type, boolean isSignificant) {
    /*
     * Maintainer notes.
     *
     * Mirrors the child_spec() map of supervisor.erl (id, start, restart, significant, shutdown,
     * type; `modules` is omitted: there is no code upgrade) and Elixir's Supervisor.child_spec/2.
     * The defaults live only in #of(Object, Type, Start) and the two DEFAULT_* constants.
     *
     * The component is `isSignificant` because a record accessor `significant()` would clash
     * with the wither `significant()`.
     *
     * Invariants: every component non-null; a Timeout shutdown is non-negative. Combinations that
     * depend on the supervisor (significant + permanent, significant under auto_shutdown never,
     * duplicate ids) are checked by the supervisor, as check_childspec in supervisor.erl does, so
     * withers can be applied in any order.
     *
     * Differences from OTP: start is a function instead of an {M, F, A} tuple; extra arguments
     * (simple_one_for_one / DynamicSupervisor) are passed as a List instead of being appended to A.
     */

    /// The shutdown of a worker unless told otherwise: 5 seconds, as Erlang's default.
    public static final Shutdown DEFAULT_WORKER_SHUTDOWN = new Shutdown.Timeout(Duration.ofSeconds(5));

    /// The shutdown of a supervisor unless told otherwise: [Shutdown#infinity()], so its own
    /// children have all the time their shutdowns ask for.
    public static final Shutdown DEFAULT_SUPERVISOR_SHUTDOWN = new Shutdown.Infinity();

    public ChildSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(restart, "restart");
        Objects.requireNonNull(shutdown, "shutdown");
        Objects.requireNonNull(type, "type");
    }

    /// Starts a child: runs in the supervisor process and starts the child linked to it.
    @FunctionalInterface
    public interface Start {
        /// Starts the child. `extraArguments` are the supervisor's
        /// ([DynamicSupervisorFlags#extraArguments()]); a [Supervisor] passes an empty list.
        /// Throwing counts as a failed start with the exception as the reason.
        StartResult start(List<Object> extraArguments) throws Exception;
    }

    /// When a supervisor restarts a child that exited (Erlang's `restart()`).
    ///
    /// | restart | exit `normal` | exit `shutdown` / `{shutdown, _}` | any other exit |
    /// |---|---|---|---|
    /// | [#PERMANENT] | restarted | restarted | restarted |
    /// | [#TRANSIENT] | kept, not running | kept, not running | restarted |
    /// | [#TEMPORARY] | forgotten | forgotten | forgotten |
    public enum Restart {
        /// Always restarted.
        PERMANENT,
        /// Restarted only after an exit that is not clean ([ExitReason#isClean()]).
        TRANSIENT,
        /// Never restarted; forgotten by the supervisor once it exits.
        TEMPORARY
    }

    /// Whether the child is a worker or a supervisor.
    public enum Type {
        /// Any process that is not a supervisor.
        WORKER,
        /// A [Supervisor] or [DynamicSupervisor].
        SUPERVISOR
    }

    /// How a supervisor stops a child (Erlang's `shutdown()`).
    ///
    /// | shutdown | the supervisor |
    /// |---|---|
    /// | [#brutalKill()] | sends [ExitReason#KILL]: the child cannot clean up |
    /// | [#timeout(Duration)] | sends [ExitReason#SHUTDOWN], waits that long on its clock, then sends `KILL` |
    /// | [#infinity()] | sends `SHUTDOWN` and waits as long as it takes |
    ///
    /// A child that does not trap exits dies of `SHUTDOWN` at once; one that traps it (a
    /// [GenServer] that called [Kernel#trapExit(boolean)]) runs its cleanup first.
    public sealed interface Shutdown {
        /// Kill the child at once.
        static Shutdown brutalKill() {
            return new BrutalKill();
        }

        /// Ask the child to stop and kill it after `timeout`.
        ///
        /// @throws IllegalArgumentException if `timeout` is negative
        static Shutdown timeout(Duration timeout) {
            return new Timeout(timeout);
        }

        /// Ask the child to stop and wait for it however long it takes.
        static Shutdown infinity() {
            return new Infinity();
        }

        /// Erlang's `brutal_kill`.
        record BrutalKill() implements Shutdown {}

        /// Erlang's integer shutdown.
        ///
        /// @param timeout how long to wait before killing the child
        record Timeout(Duration timeout) implements Shutdown {
            public Timeout {
                Objects.requireNonNull(timeout, "timeout");
                if (timeout.isNegative()) {
                    throw new IllegalArgumentException("negative shutdown timeout: " + timeout);
                }
            }
        }

        /// Erlang's `infinity`.
        record Infinity() implements Shutdown {}
    }

    // ---- factories ----------------------------------------------------------------------

    /// A worker started by `start`: permanent, 5 s shutdown, not significant.
    public static ChildSpec worker(Object id, Supplier<StartResult> start) {
        Objects.requireNonNull(start, "start");
        return of(id, Type.WORKER, extra -> start.get());
    }

    /// A worker whose start function receives the supervisor's extra arguments.
    public static ChildSpec worker(Object id, Start start) {
        return of(id, Type.WORKER, start);
    }

    /// A supervisor started by `start`: permanent, [Shutdown#infinity()], not significant.
    public static ChildSpec supervisor(Object id, Supplier<StartResult> start) {
        Objects.requireNonNull(start, "start");
        return of(id, Type.SUPERVISOR, extra -> start.get());
    }

    /// A supervisor whose start function receives the supervisor's extra arguments.
    public static ChildSpec supervisor(Object id, Start start) {
        return of(id, Type.SUPERVISOR, start);
    }

    /// A child of `type` with the defaults of the Options table.
    public static ChildSpec of(Object id, Type type, Start start) {
        Shutdown shutdown = type == Type.WORKER ? DEFAULT_WORKER_SHUTDOWN : DEFAULT_SUPERVISOR_SHUTDOWN;
        return new ChildSpec(id, start, Restart.PERMANENT, shutdown, type, false);
    }

    // ---- withers ------------------------------------------------------------------------

    /// This spec with another id.
    public ChildSpec id(Object newId) {
        return new ChildSpec(newId, start, restart, shutdown, type, isSignificant);
    }

    /// This spec with another restart type.
    public ChildSpec restart(Restart newRestart) {
        return new ChildSpec(id, start, newRestart, shutdown, type, isSignificant);
    }

    /// This spec with another shutdown.
    public ChildSpec shutdown(Shutdown newShutdown) {
        return new ChildSpec(id, start, restart, newShutdown, type, isSignificant);
    }

    /// This spec with a shutdown timeout of `timeout`.
    public ChildSpec shutdown(Duration timeout) {
        return shutdown(Shutdown.timeout(timeout));
    }

    /// This spec marked significant (it must also be [Restart#TRANSIENT] or [Restart#TEMPORARY]
    /// when given to a supervisor).
    public ChildSpec significant() {
        return significant(true);
    }

    /// This spec with `significant` set as given.
    public ChildSpec significant(boolean newSignificant) {
        return new ChildSpec(id, start, restart, shutdown, type, newSignificant);
    }
}
