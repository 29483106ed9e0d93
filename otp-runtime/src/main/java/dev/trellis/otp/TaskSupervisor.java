package dev.trellis.otp;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;

/// A supervisor of tasks (Elixir's `Task.Supervisor`): a [DynamicSupervisor] whose children are
/// temporary task processes, started as fire-and-forget bodies or as tasks whose value a caller
/// awaits.
///
/// A task that crashes is forgotten: it is never restarted, does not count towards the restart
/// intensity, and affects neither the supervisor nor the other tasks. Stopping the supervisor
/// stops every task. This is how a server runs one task per connection.
///
/// ## Examples
///
/// ```java
/// Pid tasks = TaskSupervisor.start(StartOptions.defaults().name("kv_tasks")).orThrow();
/// TaskSupervisor.startChild(tasks, () -> serve(socket)).orThrow(); // fire and forget
/// Task<Integer> task = TaskSupervisor.async(tasks, () -> 6 * 7);
/// int answer = Task.await(task);                                   // 42
/// Task<Integer> risky = TaskSupervisor.asyncNolink(tasks, () -> compute());
/// Optional<TaskResult<Integer>> result = Task.yield(risky, Duration.ofSeconds(1)); // a crash is a value
/// TaskSupervisor.children(tasks);                                  // the running tasks
/// ```
///
/// ## How to supervise
///
/// Put [#childSpec(Object, DynamicSupervisorFlags, StartOptions)] in a [Supervisor] (type
/// [ChildSpec.Type#SUPERVISOR], permanent, shutdown [ChildSpec.Shutdown#infinity()]), usually with
/// a name so that clients find it after a restart.
///
/// ## Options
///
/// | option | default | meaning |
/// |---|---|---|
/// | [DynamicSupervisorFlags#maxChildren()] | [DynamicSupervisorFlags#INFINITY] | at most this many tasks at once |
/// | [DynamicSupervisorFlags#maxRestarts()], [DynamicSupervisorFlags#maxSeconds()] | 3 in 5 s | unused in practice:
/// tasks are temporary and never restarted |
/// | [DynamicSupervisorFlags#extraArguments()] | empty | must stay empty (tasks are closures) |
/// | [StartOptions] `name` | none | register the supervisor |
/// | [StartOptions] `label` | `dev.trellis.otp.TaskSupervisor` | what tools show |
/// | task shutdown | 5 s | a task is sent `shutdown`, killed after 5 s (tasks that do not trap exits stop at once) |
///
/// ## Outcomes
///
/// - [#startChild(Pid, ProcessBody)]: [DynamicSupervisor.Started] with the task's pid, linked to the
///   supervisor only; [DynamicSupervisor.MaxChildren] when the supervisor already has `maxChildren`
///   tasks (nothing is started).
/// - [#async(Pid, Callable)] and [#asyncNolink(Pid, Callable)]: a [Task] to use with
///   [Task#await(Task)], [Task#yield(Task, Duration)] and [Task#shutdown(Task, Duration)], with the
///   outcomes of [Task#async(Callable)] and [Task#asyncNolink(Callable)]; the task is also linked
///   to the supervisor. With `maxChildren` tasks already running they throw [ExitException] with
///   reason `max_children` (Elixir fails to match `{:ok, pid}`).
/// - [#terminateChild(Pid, Pid)]: [DynamicSupervisor.Terminated] once the task is stopped, or
///   [DynamicSupervisor.NotFound].
/// - A task whose owner exits before the task has started its function exits
///   `{shutdown, reason}` without running it.
/// - Stopping the supervisor sends `shutdown` to every task still alive, including an `async`
///   task whose value was awaited but which has not exited yet; its link carries `shutdown` to a
///   caller that does not trap exits, as in Elixir. Wait for the task's exit (monitor it, or see
///   [#children(Pid)] empty) before stopping the supervisor from a linked caller.
///
/// ## Differences from Elixir
///
/// - No `async_stream`, per-call `:shutdown` or `:restart` options: every task is temporary with a
///   5 s shutdown.
/// - `children` returns pids in start order.
public final class TaskSupervisor {
    /*
     * Maintainer notes. Mirrors lib/elixir/lib/task/supervisor.ex (start_link/1, start_child/2,
     * async/2, async_nolink/2, children/1, terminate_child/2) over DynamicSupervisor, and the
     * owner handshake of task/supervised.ex.
     *
     * async: the supervisor starts the task (linked to the supervisor); the task monitors its
     * owner and waits for Go(slot). The owner links (async only) and monitors the task, then sends
     * Go. So the owner watches the task before the task computes anything: a crash always reaches
     * the owner with its real reason. If the owner dies before Go, the task exits {shutdown, _}.
     */
    private static final String CHILD_ID = "task";
    private static final String TASK_LABEL = "Task";

    private TaskSupervisor() {}

    // ---- starting -----------------------------------------------------------------------

    /// Starts a task supervisor without a link, with default flags.
    public static StartResult start() {
        return start(DynamicSupervisorFlags.defaults(), StartOptions.defaults());
    }

    /// Starts a task supervisor without a link, with default flags and `options`.
    public static StartResult start(StartOptions options) {
        return start(DynamicSupervisorFlags.defaults(), options);
    }

    /// Starts a task supervisor without a link.
    ///
    /// @throws IllegalArgumentException if `flags` has extra arguments
    public static StartResult start(DynamicSupervisorFlags flags, StartOptions options) {
        return DynamicSupervisor.start(check(flags), label(options));
    }

    /// Starts a task supervisor linked to the caller, with default flags.
    ///
    /// @throws IllegalStateException outside a process
    public static StartResult startLink() {
        return startLink(DynamicSupervisorFlags.defaults(), StartOptions.defaults());
    }

    /// Starts a task supervisor linked to the caller, with default flags and `options`.
    ///
    /// @throws IllegalStateException outside a process
    public static StartResult startLink(StartOptions options) {
        return startLink(DynamicSupervisorFlags.defaults(), options);
    }

    /// Starts a task supervisor linked to the caller.
    ///
    /// @throws IllegalArgumentException if `flags` has extra arguments
    /// @throws IllegalStateException outside a process
    public static StartResult startLink(DynamicSupervisorFlags flags, StartOptions options) {
        return DynamicSupervisor.startLink(check(flags), label(options));
    }

    /// The spec of a task supervisor as a child of another supervisor: type
    /// [ChildSpec.Type#SUPERVISOR], permanent, shutdown [ChildSpec.Shutdown#infinity()].
    public static ChildSpec childSpec(Object id, DynamicSupervisorFlags flags, StartOptions options) {
        check(flags);
        return ChildSpec.supervisor(id, () -> startLink(flags, options));
    }

    /// Stops `sup` and all its tasks; returns once it has exited.
    ///
    /// @throws ExitException [ExitReason#NOPROC] if it is not alive
    public static void stop(Pid sup) {
        DynamicSupervisor.stop(sup);
    }

    /// Stops `sup` with `reason`, waiting at most `timeout`.
    public static void stop(Pid sup, ExitReason reason, Duration timeout) {
        DynamicSupervisor.stop(sup, reason, timeout);
    }

    // ---- tasks --------------------------------------------------------------------------

    /// Starts a temporary task running `body` under `sup` (see "Outcomes").
    public static DynamicSupervisor.StartChildResult startChild(Pid sup, ProcessBody body) {
        Objects.requireNonNull(body, "body");
        return DynamicSupervisor.startChild(sup, spec(body));
    }

    /// Starts a temporary task under the task supervisor registered as `sup`.
    public static DynamicSupervisor.StartChildResult startChild(Name sup, ProcessBody body) {
        return startChild(resolve(sup), body);
    }

    /// Runs `fun` in a task under `sup`, linked to and monitored by the caller (see "Outcomes").
    ///
    /// @throws ExitException `max_children` if `sup` has as many tasks as it allows
    /// @throws IllegalStateException outside a process
    public static <T> Task<T> async(Pid sup, Callable<T> fun) {
        return async(sup, fun, true);
    }

    /// Runs `fun` in a task under the task supervisor registered as `sup`, linked to the caller.
    public static <T> Task<T> async(Name sup, Callable<T> fun) {
        return async(resolve(sup), fun, true);
    }

    /// Runs `fun` in a task under `sup`, monitored but not linked by the caller: the caller
    /// survives its crash (see "Outcomes").
    ///
    /// @throws ExitException `max_children` if `sup` has as many tasks as it allows
    /// @throws IllegalStateException outside a process
    public static <T> Task<T> asyncNolink(Pid sup, Callable<T> fun) {
        return async(sup, fun, false);
    }

    /// Runs `fun` in a task under the task supervisor registered as `sup`, not linked to the
    /// caller.
    public static <T> Task<T> asyncNolink(Name sup, Callable<T> fun) {
        return async(resolve(sup), fun, false);
    }

    /// The running tasks of `sup`, in start order.
    public static List<Pid> children(Pid sup) {
        return DynamicSupervisor.whichChildren(sup).stream()
                .flatMap(c -> c.pid().stream())
                .toList();
    }

    /// The running tasks of the task supervisor registered as `sup`.
    public static List<Pid> children(Name sup) {
        return children(resolve(sup));
    }

    /// Stops the task `task` of `sup` (sent `shutdown`, killed after 5 s).
    public static DynamicSupervisor.TerminateChildResult terminateChild(Pid sup, Pid task) {
        return DynamicSupervisor.terminateChild(sup, task);
    }

    /// Stops the task `task` of the task supervisor registered as `sup`.
    public static DynamicSupervisor.TerminateChildResult terminateChild(Name sup, Pid task) {
        return terminateChild(resolve(sup), task);
    }

    // ---- internals ----------------------------------------------------------------------

    private static <T> Task<T> async(Pid sup, Callable<T> fun, boolean link) {
        Objects.requireNonNull(fun, "fun");
        Proc owner = Kernel.current();
        Task.Slot slot = new Task.Slot(owner);
        Pid ownerPid = owner.pid;
        ProcessBody body = () -> {
            Ref watch = Kernel.monitor(ownerPid);
            // Not from the mark of `watch`: Go may have arrived before the monitor was made.
            Object go = Kernel.receive(m -> m instanceof Task.Go g && g.slot() == slot
                    ? g
                    : m instanceof Down d && d.ref() == watch ? d : null);
            if (go instanceof Down d) {
                throw new ExitException(ExitReason.shutdown(d.reason()), "owner " + ownerPid + " exited");
            }
            Kernel.demonitor(watch, true);
            Task.run(slot, fun);
        };
        Pid pid = switch (DynamicSupervisor.startChild(sup, spec(body))) {
            case DynamicSupervisor.Started s -> s.pid();
            case DynamicSupervisor.MaxChildren m ->
                throw new ExitException(ExitReason.other("max_children"), "TaskSupervisor.async on " + sup);
            case DynamicSupervisor.Ignored i -> throw new IllegalStateException("a task start was ignored");
            case DynamicSupervisor.Failed f -> throw new ExitException(f.reason(), "TaskSupervisor.async");
        };
        if (link) {
            Kernel.link(pid);
        }
        Ref ref = Kernel.monitor(pid);
        Kernel.send(pid, new Task.Go(slot));
        return new Task<>(pid, ref, owner, slot);
    }

    private static ChildSpec spec(ProcessBody body) {
        return ChildSpec.worker(
                        CHILD_ID,
                        () -> new StartResult.Ok(Kernel.spawn(
                                        body, SpawnOptions.defaults().link().label(TASK_LABEL))
                                .pid()))
                .restart(ChildSpec.Restart.TEMPORARY);
    }

    private static DynamicSupervisorFlags check(DynamicSupervisorFlags flags) {
        if (!flags.extraArguments().isEmpty()) {
            throw new IllegalArgumentException("a TaskSupervisor takes no extra arguments: " + flags.extraArguments());
        }
        return flags;
    }

    private static StartOptions label(StartOptions options) {
        return options.label() != null ? options : options.label(TaskSupervisor.class.getName());
    }

    private static Pid resolve(Name name) {
        return name.whereis().orElseThrow(() -> new ExitException(ExitReason.NOPROC, "task supervisor " + name));
    }
}
