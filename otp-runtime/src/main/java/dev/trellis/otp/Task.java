package dev.trellis.otp;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/// A process that computes one value for the process that started it, its owner (Elixir's
/// `Task`): start it with [#async(Callable)], do something else, collect the value with
/// [#await(Task)].
///
/// [#async(Callable)] links the task to its owner and monitors it: the owner never waits forever
/// for a task that died, and a task that crashes takes its owner down, as any linked crash does.
/// [#asyncNolink(Callable)] only monitors it: the owner survives the crash and receives it as an
/// [ExitException] from `await` or as a [TaskResult.Exited] from [#yield(Task, Duration)].
/// [#asyncStream(Iterable, Function, int)] maps inputs through tasks, a bounded number at a time,
/// in input order. [#start(ProcessBody)] runs a body nobody waits for. [TaskSupervisor] runs tasks
/// under a supervisor.
///
/// ## Examples
///
/// ```java
/// Task<Integer> task = Task.async(() -> 6 * 7);
/// // ... do something else ...
/// int answer = Task.await(task);                       // 42, waiting at most 5 s
/// ```
///
/// Give up on a slow task, keeping a result that arrived in the meantime:
///
/// ```java
/// Task<String> slow = Task.asyncNolink(() -> fetch(url));
/// Optional<TaskResult<String>> result = Task.yield(slow, Duration.ofMillis(100)); // empty: still running
/// if (result.isEmpty()) {
///     result = Task.shutdown(slow);                    // empty if it had to be stopped
/// }
/// ```
///
/// Map inputs through at most 4 tasks at a time, in order, stopping early:
///
/// ```java
/// try (Stream<Integer> lengths = Task.asyncStream(urls, url -> fetch(url).length(), 4)) {
///     List<Integer> firstThree = lengths.limit(3).toList(); // closing stops the tasks still running
/// }
/// ```
///
/// Fire and forget:
///
/// ```java
/// Task.start(() -> sendWelcomeMail(user));
/// ```
///
/// ## How to supervise
///
/// A task started with `async` belongs to its owner, not to a supervisor: it lives at most as long
/// as the owner waits for it. Tasks that must stop with a supervision tree (one per connection,
/// say) are started with [TaskSupervisor]. A long-running task is a child of a supervisor through
/// [#childSpec(Object, ProcessBody)]: a [ChildSpec.Restart#TEMPORARY] worker started with
/// [#startLink(ProcessBody)], as Elixir's `use Task`; override the restart type if it must be
/// restarted.
///
/// ## Options
///
/// | function | option | default | meaning |
/// |---|---|---|---|
/// | [#await(Task, Duration)] | timeout | 5 s ([#DEFAULT_TIMEOUT]) | how long the owner waits, on its clock |
/// | [#yield(Task, Duration)] | timeout | (required) | how long the owner waits; the task keeps running after it |
/// | [#shutdown(Task, Duration)] | timeout | 5 s | how long the task has to stop after `shutdown` before it is killed |
/// | [#asyncStream(Iterable, Function, int, Duration)] | maxConcurrency | (required) | at most this many tasks run at
/// once |
/// | [#asyncStream(Iterable, Function, int, Duration)] | timeout | 5 s | how long each task may run, from its start |
///
/// ## Outcomes
///
/// - [#await(Task, Duration)] returns the value. Or it throws [ExitException] with: the reason the
///   task exited with, if it exited without a value (an exception it threw is an
///   [ExitReason.Crash] carrying that exception, also the [ExitException]'s cause); or
///   [GenServer#TIMEOUT] if no value came in time, after killing, unlinking and demonitoring the
///   task, so nothing more from it (no reply, no `Down`, no exit signal) reaches the owner.
/// - A linked task that crashes sends its exit signal to an owner that does not trap exits: the
///   owner is then exiting with the task's reason, and `await`, `yield` or any other receive of
///   the owner throws [ExitException] with that reason. The owner exits with it even if it catches
///   the exception (see [ExitException]); trap exits, or use `asyncNolink`, to survive it.
/// - [#yield(Task, Duration)] returns empty if the task has not finished in time (it keeps
///   running; `await`, `yield` or `shutdown` it later), else [TaskResult.Ok] or
///   [TaskResult.Exited].
/// - [#shutdown(Task, Duration)] unlinks the task, sends it [ExitReason#SHUTDOWN], kills it after
///   `timeout`, and waits until it has exited. It returns [TaskResult.Ok] if the task finished with
///   a value first; [TaskResult.Exited] if it exited on its own with another reason
///   ([ExitReason#NOPROC] if it was already gone unobserved); empty if it was stopped. On a task
///   whose result was already taken it returns empty.
/// - `await`, `yield` and `shutdown` must be called by the owner, and `await` and `yield` only
///   until they have returned the result: otherwise they throw [IllegalStateException]. `async`
///   outside a process throws [IllegalStateException].
/// - A task function that returns `null` crashes its task with [NullPointerException].
/// - [#asyncStream(Iterable, Function, int, Duration)]: see the method.
///
/// ## Differences from Elixir
///
/// - In Elixir, a crashing `async` task kills its owner through the link, and `await` in a
///   trapping owner exits it with the task's reason. Here the link kills the owner the same way,
///   taking effect at its next runtime call (ADR 0002): inside `await` that is at once, so `await`
///   throws [ExitException] with the task's [ExitReason.Crash]; a trapping owner, or the owner of
///   an `asyncNolink` task, gets the same exception from the monitor's `Down`. Either way `await`
///   never hangs on a dead task and the original exception is never lost.
/// - On timeout Elixir's `await` exits the caller, whose exit then kills the linked task. Here
///   `await` throws and kills the task itself (unlinked first), so an owner that catches the
///   timeout is not left linked to a task that could still crash it, and no late reply arrives.
/// - Results are [TaskResult] values instead of `{:ok, value} | {:exit, reason} | nil` tuples.
/// - Taking a result twice throws [IllegalStateException] (Elixir waits until the timeout).
/// - `asyncStream` returns an ordered [Stream] that must be closed when not fully consumed; a task
///   that fails or times out makes it throw (Elixir's default `on_timeout: :exit`). No
///   `await_many`, `yield_many`, `ordered: false` or `on_timeout: :kill_task`.
public final class Task<T> {
    /*
     * Maintainer notes.
     *
     * Mirrors lib/elixir/lib/task.ex (async/await/yield/shutdown/start/start_link/async_stream)
     * and task/supervised.ex. The stream is TaskStream.
     *
     * Messages: a task replies Reply(slot, value), Elixir's {ref, result}, matched by the identity
     * of its Slot; the owner watches it with the monitor made at spawn. That monitor's ref is the
     * owner's newest ref right after async, so the first await/yield receives from the mailbox
     * mark (OTP's receive-marker): it never scans messages that were queued before the task
     * started.
     *
     * Reply before Down: a task sends its reply before it exits, so the reply is ahead of its Down
     * in the owner's mailbox (Proc's exit path); a Down found first means there is no reply.
     *
     * The Slot is Erlang's reply alias: the task sends its reply only if it moves the slot from
     * RUNNING to REPLIED; await on timeout moves it from RUNNING to ABANDONED. So after a timeout
     * either the reply is at most one enqueue away (await takes it and succeeds) or it is never
     * sent: no late reply can land in the owner's mailbox.
     *
     * `settled` is owner-only state: the result (or the task's end) has been taken.
     *
     * Tasks under a TaskSupervisor are started by the supervisor, then linked and monitored by the
     * owner, then released with Go(slot): the task runs nothing before its owner watches it, so a
     * crash can never be reported as noproc (Task.Supervised's {owner, ref, reply_to} message).
     */

    /// The default [#await(Task)] timeout: 5 seconds.
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private static final String LABEL = "Task";

    private final Pid pid;
    private final Ref ref;
    private final Proc owner;
    private final Slot slot;
    private boolean settled;

    Task(Pid pid, Ref ref, Proc owner, Slot slot) {
        this.pid = pid;
        this.ref = ref;
        this.owner = owner;
        this.slot = slot;
    }

    /// The task's process.
    public Pid pid() {
        return pid;
    }

    /// The owner's monitor on the task: the `Down` of the task carries it.
    public Ref ref() {
        return ref;
    }

    /// The process that started the task and may await it.
    public Pid owner() {
        return owner.pid;
    }

    @Override
    public String toString() {
        return "Task[" + pid + ", owner " + owner.pid + "]";
    }

    // ---- starting -----------------------------------------------------------------------

    /// Runs `fun` in a new process linked to and monitored by the caller; collect its value with
    /// [#await(Task)] or [#yield(Task, Duration)].
    ///
    /// @throws IllegalStateException outside a process
    public static <T> Task<T> async(Callable<T> fun) {
        return spawn(fun, true);
    }

    /// Runs `fun` in a new process monitored, not linked, by the caller: the caller survives its
    /// crash.
    ///
    /// @throws IllegalStateException outside a process
    public static <T> Task<T> asyncNolink(Callable<T> fun) {
        return spawn(fun, false);
    }

    private static <T> Task<T> spawn(Callable<T> fun, boolean link) {
        Objects.requireNonNull(fun, "fun");
        Proc owner = Kernel.current();
        Slot slot = new Slot(owner);
        SpawnOptions options = SpawnOptions.defaults().monitor().label(LABEL);
        Spawned s = Kernel.spawn(() -> run(slot, fun), link ? options.link() : options);
        return new Task<>(s.pid(), s.ref(), owner, slot);
    }

    /// Runs `body` in a new process nobody waits for (Elixir's `Task.start/1`); always
    /// [StartResult.Ok].
    public static StartResult start(ProcessBody body) {
        Objects.requireNonNull(body, "body");
        return new StartResult.Ok(
                Kernel.spawn(body, SpawnOptions.defaults().label(LABEL)).pid());
    }

    /// Runs `body` in a new process linked to the caller (Elixir's `Task.start_link/1`, how a
    /// supervisor starts a task child); always [StartResult.Ok].
    ///
    /// @throws IllegalStateException outside a process
    public static StartResult startLink(ProcessBody body) {
        Objects.requireNonNull(body, "body");
        return new StartResult.Ok(
                Kernel.spawn(body, SpawnOptions.defaults().link().label(LABEL)).pid());
    }

    /// The spec of a task running `body` as a child of a supervisor: a
    /// [ChildSpec.Restart#TEMPORARY] worker started with [#startLink(ProcessBody)].
    public static ChildSpec childSpec(Object id, ProcessBody body) {
        Objects.requireNonNull(body, "body");
        return ChildSpec.worker(id, () -> startLink(body)).restart(ChildSpec.Restart.TEMPORARY);
    }

    // ---- collecting ---------------------------------------------------------------------

    /// The task's value, waiting at most [#DEFAULT_TIMEOUT].
    public static <T> T await(Task<T> task) {
        return await(task, DEFAULT_TIMEOUT);
    }

    /// The task's value, waiting at most `timeout` on the owner's clock (see "Outcomes").
    ///
    /// @throws ExitException with the task's exit reason, or [GenServer#TIMEOUT]
    /// @throws IllegalStateException if the caller is not the owner, or the result was taken
    public static <T> T await(Task<T> task, Duration timeout) {
        Proc self = task.check("await");
        Object got = self.receive(task.replyOrDown(), Kernel.deadline(self.clock, timeout), self.clock, task.ref);
        if (got == null) {
            if (task.slot.abandon()) {
                task.settled = true;
                Kernel.unlink(task.pid);
                Kernel.exit(task.pid, ExitReason.KILL);
                Kernel.demonitor(task.ref, true);
                throw new ExitException(GenServer.TIMEOUT, "await " + task);
            }
            // The reply won the race and is at most one enqueue away.
            got = Objects.requireNonNull(self.receive(task.replyOnly(), Long.MAX_VALUE, self.clock, null));
        }
        return switch (task.settle(got)) {
            case TaskResult.Ok<T> ok -> ok.value();
            case TaskResult.Exited<T> exited -> throw new ExitException(exited.reason(), "await " + task);
        };
    }

    /// The task's result if it ends within `timeout` on the owner's clock; empty otherwise, and
    /// the task keeps running.
    ///
    /// @throws IllegalStateException if the caller is not the owner, or the result was taken
    public static <T> Optional<TaskResult<T>> yield(Task<T> task, Duration timeout) {
        Proc self = task.check("yield");
        Object got = self.receive(task.replyOrDown(), Kernel.deadline(self.clock, timeout), self.clock, task.ref);
        return got == null ? Optional.empty() : Optional.of(task.settle(got));
    }

    /// Stops the task, giving it 5 s to exit before it is killed (see "Outcomes").
    public static <T> Optional<TaskResult<T>> shutdown(Task<T> task) {
        return shutdown(task, DEFAULT_TIMEOUT);
    }

    /// Stops the task: unlinks it, sends it [ExitReason#SHUTDOWN], kills it if it has not exited
    /// within `timeout`, and waits until it has exited. Its result if it finished first; empty if
    /// it was stopped.
    ///
    /// @throws IllegalStateException if the caller is not the owner
    public static <T> Optional<TaskResult<T>> shutdown(Task<T> task, Duration timeout) {
        Proc self = task.check("shutdown");
        if (task.settled) {
            return Optional.empty();
        }
        task.settled = true;
        Kernel.unlink(task.pid);
        Kernel.exit(task.pid, ExitReason.SHUTDOWN);
        Match<Down> down = m -> m instanceof Down d && d.ref() == task.ref ? d : null;
        Down d = self.receive(down, Kernel.deadline(self.clock, timeout), self.clock, null);
        boolean killed = false;
        if (d == null) {
            Kernel.exit(task.pid, ExitReason.KILL);
            d = Objects.requireNonNull(self.receive(down, Long.MAX_VALUE, self.clock, null));
            killed = true;
        }
        Reply reply = self.receive(task.replyOnly(), Long.MIN_VALUE, self.clock, null); // ahead of the Down
        if (reply != null) {
            return Optional.of(new TaskResult.Ok<>(task.cast(reply.value())));
        }
        ExitReason reason = d.reason();
        if (reason.equals(ExitReason.SHUTDOWN) || (killed && reason.equals(ExitReason.KILLED))) {
            return Optional.empty();
        }
        return Optional.of(new TaskResult.Exited<>(reason));
    }

    // ---- streams ------------------------------------------------------------------------

    /// [#asyncStream(Iterable, Function, int, Duration)] with a 5 s timeout per task.
    public static <A, B> Stream<B> asyncStream(
            Iterable<A> inputs, Function<? super A, ? extends B> fun, int maxConcurrency) {
        return asyncStream(inputs, fun, maxConcurrency, DEFAULT_TIMEOUT);
    }

    /// A stream of `fun` applied to each input, each in a task linked to and monitored by the
    /// caller, with at most `maxConcurrency` tasks running at once; results come in input order
    /// (Elixir's `Task.async_stream/3`).
    ///
    /// The stream is lazy: tasks start when it is consumed, in the calling process only (it is
    /// sequential; consuming it from another thread throws [IllegalStateException]). Results that
    /// finish early are buffered until their turn.
    ///
    /// Outcomes: a task that exits without a value, or runs longer than `timeout` (on the
    /// caller's clock, from its start), makes the stream throw [ExitException] with its reason or
    /// [GenServer#TIMEOUT], after the other tasks were stopped. Closing the stream (with
    /// try-with-resources, necessary when it is not consumed to the end, as after `limit`) kills
    /// the tasks still running, waits until they have exited, and removes their messages: no task
    /// outlives the stream and none of its messages stay in the caller's mailbox. A task busy in
    /// pure computation exits only when it next calls the runtime or finishes (ADR 0002), so
    /// `close` may wait for that.
    ///
    /// @throws IllegalArgumentException if `maxConcurrency` is less than 1
    /// @throws IllegalStateException outside a process
    public static <A, B> Stream<B> asyncStream(
            Iterable<A> inputs, Function<? super A, ? extends B> fun, int maxConcurrency, Duration timeout) {
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(fun, "fun");
        Objects.requireNonNull(timeout, "timeout");
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("maxConcurrency must be >= 1: " + maxConcurrency);
        }
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("negative timeout: " + timeout);
        }
        TaskStream<A, B> stream = new TaskStream<>(Kernel.current(), inputs, fun, maxConcurrency, timeout);
        return StreamSupport.stream(stream, false).onClose(stream::close);
    }

    // ---- internals ----------------------------------------------------------------------

    /// The body of a task: compute, then reply unless the owner gave up.
    static <T> void run(Slot slot, Callable<T> fun) throws Exception {
        T value = fun.call();
        slot.reply(Objects.requireNonNull(value, "a task must not return null"));
    }

    private Proc check(String what) {
        Proc self = Kernel.current();
        if (self != owner) {
            throw new IllegalStateException(
                    what + " of " + this + " must be called by its owner " + owner.pid + ", not " + self.pid);
        }
        if (settled && !what.equals("shutdown")) {
            throw new IllegalStateException("the result of " + this + " was already taken");
        }
        return self;
    }

    private Match<Object> replyOrDown() {
        return m -> m instanceof Reply r && r.slot() == slot ? r : m instanceof Down d && d.ref() == ref ? d : null;
    }

    private Match<Reply> replyOnly() {
        return m -> m instanceof Reply r && r.slot() == slot ? r : null;
    }

    /// Takes the result out of a Reply or Down just received.
    private TaskResult<T> settle(Object got) {
        settled = true;
        if (got instanceof Reply r) {
            Kernel.demonitor(ref, true);
            return new TaskResult.Ok<>(cast(r.value()));
        }
        return new TaskResult.Exited<>(((Down) got).reason());
    }

    @SuppressWarnings("unchecked")
    private T cast(Object value) {
        return (T) value;
    }

    /// Where a task's reply goes, at most once (Erlang's reply alias; see the maintainer notes).
    static final class Slot {
        private static final int RUNNING = 0;
        private static final int REPLIED = 1;
        private static final int ABANDONED = 2;

        private final Proc owner;
        private final AtomicInteger state = new AtomicInteger(RUNNING);

        Slot(Proc owner) {
            this.owner = owner;
        }

        /// Sends `value` to the owner; `false` if the owner gave up (or a reply was sent).
        boolean reply(Object value) {
            if (!state.compareAndSet(RUNNING, REPLIED)) {
                return false;
            }
            Kernel.deliver(owner, new Reply(this, value));
            return true;
        }

        /// The owner gives up; `false` if the reply is already on its way.
        boolean abandon() {
            return state.compareAndSet(RUNNING, ABANDONED);
        }

        @Override
        public String toString() {
            return "Slot[" + owner.pid + ", " + state.get() + "]";
        }
    }

    /// A task's value for its owner: Elixir's `{ref, result}`.
    record Reply(Slot slot, Object value) {}

    /// Releases a supervised task once its owner watches it.
    record Go(Slot slot) {}
}
