package dev.trellis.otp;

import dev.trellis.otp.observe.ProcessInfo;
import dev.trellis.otp.observe.ProcessStatus;
import dev.trellis.otp.observe.RuntimeStatistics;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/// The process primitives: spawn, send, receive, links, monitors, exit signals, names and timers,
/// with the semantics of Erlang's BIFs (`erlang:spawn/1`, `!`, `receive`, `link/1`, `monitor/2`,
/// `exit/2`, `register/2`, `send_after/3`, …).
///
/// A process is a virtual thread with a mailbox. Spawning one costs no platform thread, and a
/// million of them can be alive at once.
///
/// ## Examples
///
/// ```java
/// record Ping(Pid from) {}
///
/// Pid echo = Kernel.spawn(() -> {
///     for (;;) {
///         Ping ping = Kernel.receive(Match.type(Ping.class));
///         Kernel.send(ping.from(), "pong");
///     }
/// });
/// Kernel.send(echo, new Ping(Kernel.self()));
/// Object reply = Kernel.receive(Match.equalTo("pong"));
/// ```
///
/// ## Where these may be called
///
/// [#spawn(ProcessBody)], [#send(Pid, Object)], [#exit(Pid, ExitReason)], [#whereis(String)],
/// [#register(String, Pid)], [#sendAfter(Pid, Object, Duration)] and the introspection functions
/// work from any thread. Everything that acts on "the calling process" (`self`, `receive`, `link`,
/// `monitor`, `trapExit`, `sleep`, `makeRef`, `exit(reason)`) must be called from inside a process
/// and throws [IllegalStateException] elsewhere.
///
/// ## Differences from Erlang
///
/// - Messages are Java objects, shared, not copied: send immutable values (records).
/// - An exit signal that kills takes effect when the victim next waits in the runtime (receive,
///   sleep) or in interruptible I/O; a loop that never calls the runtime cannot be stopped.
///   See ADR 0002.
public final class Kernel {
    /*
     * `self()` is found from the current thread in one field read: each process's thread has
     * its Proc as uncaught-exception handler (see Proc). Unlike a ScopedValue binding (a Carrier,
     * a Snapshot, a 32-slot cache array and three frames on every parked stack) or a ThreadLocal
     * (a map per thread), this costs no memory per process; ProcessTable's map from thread to
     * process is the fallback if user code replaced the handler.
     */

    /// A timeout that never expires (Erlang's `infinity`).
    public static final Duration INFINITY = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);

    private Kernel() {}

    // ---- processes ----------------------------------------------------------------------

    /// The calling process.
    ///
    /// @throws IllegalStateException outside a process
    public static Pid self() {
        return current().pid;
    }

    /// Whether the calling thread is a process.
    public static boolean inProcess() {
        return lookup() != null;
    }

    /// Starts a process running `body`.
    public static Pid spawn(ProcessBody body) {
        return spawn(body, SpawnOptions.defaults()).pid();
    }

    /// Starts a process linked to the caller (Erlang's `spawn_link/1`).
    public static Pid spawnLink(ProcessBody body) {
        return spawn(body, SpawnOptions.defaults().link()).pid();
    }

    /// Starts a process monitored by the caller (Erlang's `spawn_monitor/1`).
    public static Spawned spawnMonitor(ProcessBody body) {
        return spawn(body, SpawnOptions.defaults().monitor());
    }

    /// Starts a process with `options` (Erlang's `spawn_opt/2`). The link and monitor, if asked
    /// for, exist before the new process runs.
    ///
    /// @throws IllegalStateException if a link or monitor is asked for outside a process
    public static Spawned spawn(ProcessBody body, SpawnOptions options) {
        Objects.requireNonNull(body, "body");
        Proc caller = lookup();
        if (caller == null && (options.linked() || options.monitored())) {
            throw new IllegalStateException("link and monitor options need a calling process");
        }
        Clock clock = options.clock() != null ? options.clock() : caller != null ? caller.clock : Clock.system();
        Proc p = new Proc(ProcessTable.nextSerial(), clock, caller == null ? null : caller.pid, options.label());
        p.trapExit = options.trapping();
        Ref ref = null;
        if (caller != null) {
            if (options.linked()) {
                caller.linkUnstarted(p);
            }
            if (options.monitored()) {
                ref = caller.makeRef(p);
                p.addMonitor(ref);
            }
        }
        Thread t = p.newThread(body);
        ProcessTable.add(p, t);
        t.start();
        return new Spawned(p.pid, ref);
    }

    /// Whether `pid` is alive (Erlang's `is_process_alive/1`).
    public static boolean isAlive(Pid pid) {
        return pid.proc.isAlive();
    }

    // ---- messages -----------------------------------------------------------------------

    /// Sends `message` to `pid`. Never blocks and never fails: a message to a dead process is
    /// dropped. Messages from one sender to one receiver arrive in the order they were sent.
    public static void send(Pid pid, Object message) {
        Objects.requireNonNull(message, "message");
        deliver(pid.proc, message);
    }

    /// Sends `message` to the process registered as `name`.
    ///
    /// @throws IllegalArgumentException if no process is registered as `name` (Erlang's badarg)
    public static void send(String name, Object message) {
        Proc p = Names.whereis(name);
        if (p == null) {
            throw new IllegalArgumentException("no process registered as " + name);
        }
        send(p.pid, message);
    }

    static void deliver(Proc to, Object message) {
        to.mailbox.put(message);
    }

    /// Takes the oldest message, waiting as long as it takes.
    public static Object receive() {
        return receive(Match.any());
    }

    /// Takes the oldest message, or returns empty after `timeout` on the process's clock.
    public static Optional<Object> receive(Duration timeout) {
        return receive(Match.any(), timeout);
    }

    /// Takes the first message `match` accepts, waiting as long as it takes; the others stay
    /// queued in order.
    public static <R> R receive(Match<R> match) {
        Proc self = current();
        R r = self.receive(match, Long.MAX_VALUE, self.clock, null);
        return Objects.requireNonNull(r);
    }

    /// Takes the first message `match` accepts, or returns empty after `timeout` on the
    /// process's clock. A zero timeout only looks at what is already queued.
    public static <R> Optional<R> receive(Match<R> match, Duration timeout) {
        Proc self = current();
        return Optional.ofNullable(self.receive(match, deadline(self.clock, timeout), self.clock, null));
    }

    /// Like [#receive(Match, Duration)], but `timeout` is measured on `clock` instead of the
    /// process's clock: a test's assertion waits in real time even when the processes under test
    /// run on a [ManualClock].
    public static <R> Optional<R> receive(Match<R> match, Duration timeout, Clock clock) {
        return Optional.ofNullable(current().receive(match, deadline(clock, timeout), clock, null));
    }

    /// Like [#receive(Match, Duration)], but when `since` is the newest reference the caller made
    /// ([#makeRef()], [#monitor(Pid)]), only messages that arrived after it are examined: a reply
    /// that carries `since` is found without scanning older messages, however many are queued.
    /// With an older reference it scans the whole mailbox, with the same result.
    public static <R> Optional<R> receive(Ref since, Match<R> match, Duration timeout) {
        Proc self = current();
        return Optional.ofNullable(self.receive(match, deadline(self.clock, timeout), self.clock, since));
    }

    /// A fresh unique reference (Erlang's `make_ref/0`); inside a process it also marks the
    /// mailbox for [#receive(Ref, Match, Duration)].
    public static Ref makeRef() {
        Proc self = lookup();
        return self != null ? self.makeRef(null) : new Ref(null, null);
    }

    /// Waits `duration` on the process's clock, keeping every message queued (Erlang's
    /// `timer:sleep/1`). An exit signal ends the wait.
    public static void sleep(Duration duration) {
        Proc self = current();
        self.receive(Match.none(), deadline(self.clock, duration), self.clock, null);
    }

    // ---- links, monitors, exits ---------------------------------------------------------

    /// Links the caller and `pid`: when either exits with a reason other than `normal`, the other
    /// exits with the same reason, or receives an [Exit] message if it traps exits. Linking to
    /// oneself or an existing link does nothing.
    ///
    /// @throws ExitException with [ExitReason#NOPROC] if `pid` is not alive and the caller does
    ///     not trap exits; a trapping caller receives `Exit(pid, noproc)` instead
    public static void link(Pid pid) {
        Proc self = current();
        if (!self.link(pid.proc)) {
            if (self.trapExit) {
                deliver(self, new Exit(pid, ExitReason.NOPROC));
            } else {
                throw new ExitException(ExitReason.NOPROC, "link to " + pid);
            }
        }
    }

    /// Removes the link between the caller and `pid`, if any. After it returns, no exit signal
    /// from that link reaches the caller; an [Exit] message already queued stays queued.
    public static void unlink(Pid pid) {
        current().unlink(pid.proc);
    }

    /// Sets whether the caller traps exits and returns the previous setting (Erlang's
    /// `process_flag(trap_exit, Flag)`).
    public static boolean trapExit(boolean trap) {
        Proc self = current();
        boolean old = self.trapExit;
        self.trapExit = trap;
        return old;
    }

    /// Monitors `pid`: exactly one [Down] arrives when it exits, immediately with
    /// [ExitReason#NOPROC] if it is not alive. Monitors stack: each call gives a new reference
    /// and a `Down` of its own.
    public static Ref monitor(Pid pid) {
        Proc self = current();
        Ref ref = self.makeRef(pid.proc);
        if (!pid.proc.addMonitor(ref)) {
            ref.state(Ref.DELIVERED);
            deliver(self, new Down(ref, pid, ExitReason.NOPROC));
        }
        return ref;
    }

    /// Removes a monitor without flushing: a `Down` already queued stays (Erlang's
    /// `demonitor/1`). Returns `true` if the monitor was active, so no `Down` will come from it.
    public static boolean demonitor(Ref ref) {
        return demonitor(ref, false);
    }

    /// Removes a monitor; with `flush`, also removes its `Down` if one was queued, so no `Down`
    /// for `ref` is in the mailbox or arrives after this returns (Erlang's
    /// `demonitor(Ref, [flush])`). Returns `true` if the monitor was still active.
    public static boolean demonitor(Ref ref, boolean flush) {
        Proc self = current();
        Proc target = ref.target;
        if (target == null || ref.watcher != self) {
            return false;
        }
        if (ref.transition(Ref.ACTIVE, Ref.CANCELLED)) {
            target.removeMonitor(ref);
            return true;
        }
        while (ref.state() == Ref.FIRING) {
            Thread.onSpinWait();
        }
        if (flush && ref.state() == Ref.DELIVERED) {
            self.receive(m -> m instanceof Down d && d.ref() == ref ? d : null, Long.MIN_VALUE, self.clock, ref);
        }
        return false;
    }

    /// Ends the calling process with `reason` (Erlang's `exit/1`) by throwing [ExitException].
    public static void exit(ExitReason reason) {
        throw new ExitException(reason);
    }

    /// Sends an exit signal to `pid` (Erlang's `exit/2`). If `pid` traps exits, it receives an
    /// [Exit] message; otherwise it exits with `reason`, except that `normal` is ignored (unless
    /// `pid` is the caller). [ExitReason#KILL] cannot be trapped and makes `pid` exit `killed`.
    /// Sending to a dead process does nothing.
    public static void exit(Pid pid, ExitReason reason) {
        Objects.requireNonNull(reason, "reason");
        Proc self = lookup();
        Proc from = self != null ? self : Proc.EXTERNAL;
        pid.proc.exitSignal(from.pid, reason);
        if (from == pid.proc) {
            from.checkPending();
        }
    }

    // ---- names --------------------------------------------------------------------------

    /// Registers `pid` under `name` (Erlang's `register/2`). The name is freed when the process
    /// exits, before its monitors fire.
    ///
    /// @throws IllegalArgumentException if the name is taken, `pid` already has a name, or `pid`
    ///     is not alive (Erlang's badarg)
    public static void register(String name, Pid pid) {
        Objects.requireNonNull(name, "name");
        String problem = pid.proc.register(name);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /// Removes the registration of `name`; `false` if it was not registered.
    public static boolean unregister(String name) {
        Proc p = Names.whereis(name);
        return p != null && p.unregister(name);
    }

    /// The process registered as `name`, if any (Erlang's `whereis/1`).
    public static Optional<Pid> whereis(String name) {
        Proc p = Names.whereis(name);
        return p == null ? Optional.empty() : Optional.of(p.pid);
    }

    /// All registered names, sorted.
    public static Set<String> registered() {
        return Names.all();
    }

    // ---- timers -------------------------------------------------------------------------

    /// Sends `message` to `pid` after `delay` on the caller's clock (Erlang's `send_after/3`).
    /// The timer is cancelled if `pid` exits first.
    public static TimerRef sendAfter(Pid pid, Object message, Duration delay) {
        Objects.requireNonNull(message, "message");
        Clock clock = clock();
        return TimerRef.start(clock, deadline(clock, delay), pid.proc, message);
    }

    /// Cancels `timer`; the time it had left, or empty if it already fired or was cancelled
    /// (Erlang's `cancel_timer/1` returning `false`).
    public static Optional<Duration> cancelTimer(TimerRef timer) {
        long left = timer.cancel();
        return left < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(left));
    }

    /// The caller's clock: the process's, or [Clock#system()] outside a process.
    public static Clock clock() {
        Proc self = lookup();
        return self != null ? self.clock : Clock.system();
    }

    // ---- introspection ------------------------------------------------------------------

    /// Every live process, in pid order (Erlang's `processes/0`).
    public static List<Pid> processes() {
        return ProcessTable.snapshot().stream().map(p -> p.pid).sorted().toList();
    }

    /// A snapshot of `pid`, or empty if it is not alive (Erlang's `process_info/1`). Never waits
    /// for the process.
    public static Optional<ProcessInfo> processInfo(Pid pid) {
        Proc p = pid.proc;
        if (!p.isAlive()) {
            return Optional.empty();
        }
        Thread t = p.thread();
        ProcessStatus status = Introspection.status(p);
        List<StackTraceElement> stack = t == null ? List.of() : Arrays.asList(t.getStackTrace());
        return Optional.of(new ProcessInfo(
                pid,
                p.registeredName(),
                p.label,
                p.parent,
                status,
                p.mailbox.size(),
                p.mailbox.received(),
                p.trapExit,
                p.linkedPids(),
                p.monitorPids(),
                stack));
    }

    /// Runtime-wide counters.
    public static RuntimeStatistics statistics() {
        return ProcessTable.statistics();
    }

    // ---- internals ----------------------------------------------------------------------

    static Proc current() {
        Proc self = lookup();
        if (self == null) {
            throw new IllegalStateException("not called from a process (spawn one with Kernel.spawn)");
        }
        return self;
    }

    /// The process running on the calling thread, while its body runs; `null` elsewhere.
    static @Nullable Proc lookup() {
        Thread t = Thread.currentThread();
        Proc p = t.getUncaughtExceptionHandler() instanceof Proc h && h.thread() == t ? h : ProcessTable.of(t);
        return p == null || p.isExiting() ? null : p;
    }

    /// The deadline `timeout` from now on `clock`; `Long.MAX_VALUE` for [#INFINITY] or any
    /// timeout too long to represent.
    static long deadline(Clock clock, Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("negative timeout: " + timeout);
        }
        if (timeout.getSeconds() >= Long.MAX_VALUE / 1_000_000_000L) {
            return Long.MAX_VALUE;
        }
        return Clock.deadline(clock.nanoTime(), timeout.toNanos());
    }
}
