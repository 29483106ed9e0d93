package dev.trellis.otp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// A process: one virtual thread, one mailbox, and its links, monitors, name and timers.
final class Proc implements Runnable, Thread.UncaughtExceptionHandler {
    /*
     * Locking: each Proc's monitor (synchronized (proc)) guards its links, monitors (and the
     * list pointers of the Refs in that list), name, timers, exitHooks and `dead`. No code holds
     * two Proc locks at once, so there is no lock order to respect and no deadlock. `dead` is
     * volatile so that liveness checks (isAlive, the name table's) take no lock.
     *
     * Exit path (erts_do_exit_process / erts_continue_exit_process), run by the dying process on
     * its own thread after its body ended:
     *   1. under its lock: dead = true, take links, monitors, name, timers, hooks;
     *      from here on link/monitor/register see a dead process (noproc / Down noproc / badarg);
     *   2. free the name, run exit hooks (registry entries, tables), cancel timers aimed at it;
     *   3. close the mailbox, leave the process table, log an uncaught exception once;
     *   4. send the exit signal to each linked process (those trapping exits first) and Down to
     *      each monitor.
     * Messages it sent before step 4 are ahead of its Exit/Down in every mailbox (one FIFO queue
     * per receiver), which gives Erlang's "messages before DOWN" guarantee. Downs go out in the
     * order the monitors were set up: whoever monitored first has its Down queued first, so a
     * message sent by a later watcher after its own Down arrives behind the earlier watcher's
     * Down (the guide's registry race fix relies on it).
     *
     * Link exit signals are filtered at delivery under the receiver's lock: delivered only if the
     * receiver still has the link, which it then drops. unlink removes the receiver's side under
     * the same lock, so no Exit from the link can be delivered after unlink returns.
     *
     * Exit signals that kill (not trapped, or `kill`) set `pendingExit` once and interrupt the
     * thread, or, if it is a behaviour parked in its main receive, wake it with KILLED as a message
     * (receiveAll says why). Every runtime call that waits checks it, so a process blocked in
     * receive, sleep or interruptible I/O dies promptly and its finally blocks run. Pure
     * computation that never calls the runtime cannot be stopped (Java has no safe asynchronous
     * kill; see ADR 0002).
     */
    private static final Logger LOG = LoggerFactory.getLogger("dev.trellis.otp.Process");
    private static final VarHandle PENDING;

    static {
        try {
            PENDING = MethodHandles.lookup().findVarHandle(Proc.class, "pendingExit", ExitReason.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /// The sender of exit signals sent from outside any process: `<0.0.0>`, never alive.
    static final Proc EXTERNAL = new Proc(0, Clock.system(), null, "external");

    static {
        EXTERNAL.dead = true;
        EXTERNAL.mailbox.close();
    }

    final Pid pid;
    final Mailbox mailbox = new Mailbox();
    final Clock clock;
    final @Nullable Pid parent;
    final String label;

    /// What the thread runs, until it starts.
    private @Nullable ProcessBody body;

    volatile boolean trapExit;
    private volatile @Nullable ExitReason pendingExit;
    private volatile boolean exiting;

    // Written under this; `dead` is also read without the lock (isAlive, the name table).
    private volatile boolean dead;
    /// The linked processes: null (none), the one Proc itself (most workers are linked to their
    /// supervisor only, and then pay no set), or a HashSet of two or more. See addLink.
    private @Nullable Object links;
    /// The monitors watching this process: a doubly linked list through the Refs themselves
    /// (Ref.nextMonitor/prevMonitor), so a monitor and a demonitor allocate nothing here and a
    /// process nobody monitors pays one field.
    private @Nullable Ref monitors;
    private @Nullable String name;
    private @Nullable Set<TimerRef> timers;
    private @Nullable List<Runnable> exitHooks;

    // Owner only.
    private @Nullable Ref markRef;
    /// The behaviour loop running in this process (a ServerLoop), for `GenServer.replyLater`.
    @Nullable
    Object behaviour;
    /// Set by a behaviour that has logged its own crash report, so the runtime does not log again.
    boolean crashReported;

    Proc(long id, Clock clock, @Nullable Pid parent, String label) {
        this.pid = new Pid(id, this);
        this.clock = clock;
        this.parent = parent;
        this.label = label;
    }

    // ---- running ------------------------------------------------------------------------

    /// Makes the virtual thread that will run `body` (the process itself is its task and its
    /// uncaught-exception handler, so a spawn allocates no lambda and [Kernel#lookup()] finds the
    /// process from the thread). The thread is named by the process's label, a string shared by
    /// every process of its kind: thread dumps say what each thread is, and loggers that name the
    /// thread of an event (logback looks up `Thread.isVirtual` by reflection for every event of an
    /// unnamed virtual thread) find it at once. Called once, before [Thread#start()].
    Thread newThread(ProcessBody body) {
        this.body = body;
        Thread t = Thread.ofVirtual().name(label).uncaughtExceptionHandler(this).unstarted(this);
        mailbox.owner(t);
        return t;
    }

    /// The process's thread (set before it starts; `null` only for [#EXTERNAL]).
    @Nullable
    Thread thread() {
        return mailbox.owner();
    }

    /// The thread body: runs the body (this process is `self()` until it ends), then the exit
    /// path.
    @Override
    public void run() {
        ProcessBody body = this.body;
        this.body = null;
        ExitReason reason;
        boolean threw = false;
        try {
            if (pendingExit == null && body != null) {
                body.run();
            }
            throw ExitException.RETURNED; // leave through the handler every killed process takes
        } catch (ExitException e) {
            reason = e.reason();
        } catch (Throwable t) {
            reason = ExitReason.crash(t);
            threw = true;
        }
        exiting = true;
        try {
            exit(reason, threw);
        } catch (Throwable t) {
            LOG.error("exit path of {} failed", pid, t);
        }
    }

    /// The exit path, with the reason the body ended with (an exit signal that killed this
    /// process overrides it: caught or not, the process exits with the signal's reason).
    private void exit(ExitReason bodyReason, boolean bodyThrew) {
        ExitReason pending = pendingExit; // read after `exiting` is set: no signal kills it now
        ExitReason reason = pending != null ? pending : bodyReason;
        boolean threw = pending == null && bodyThrew;
        Thread.interrupted();
        @Nullable Object myLinks;
        Ref watchers;
        String myName;
        Set<TimerRef> myTimers;
        List<Runnable> hooks;
        synchronized (this) {
            dead = true;
            myLinks = links;
            watchers = monitors;
            myName = name;
            myTimers = timers;
            hooks = exitHooks;
            links = null;
            monitors = null;
            name = null;
            timers = null;
            exitHooks = null;
        }
        if (myName != null) {
            Names.remove(myName, this);
        }
        if (hooks != null) {
            for (Runnable hook : hooks) {
                try {
                    hook.run();
                } catch (RuntimeException e) {
                    LOG.error("exit hook of {} failed", pid, e);
                }
            }
        }
        if (myTimers != null) {
            for (TimerRef t : myTimers) {
                t.cancel();
            }
        }
        mailbox.close();
        ProcessTable.remove(this, reason);
        if (!reason.isClean()) {
            RuntimeEvents.crashed(this, myName, reason);
        }
        if (threw && !crashReported && reason instanceof ExitReason.Crash c) {
            LOG.error("Process {} ({}) crashed", pid, label, c.exception());
        }
        if (myLinks instanceof Proc p) {
            p.linkExit(this, reason);
        } else if (myLinks != null) {
            // Trapping processes (supervisors) first: they only get a message and act on it,
            // while each process the signal kills must be scheduled to die. Erlang leaves the
            // order of signals to different processes open.
            Set<Proc> all = linkSet(myLinks);
            List<Proc> killed = new ArrayList<>(all.size());
            for (Proc p : all) {
                if (p.trapExit) {
                    p.linkExit(this, reason);
                } else {
                    killed.add(p);
                }
            }
            for (Proc p : killed) {
                p.linkExit(this, reason);
            }
        }
        // The list is this thread's now (removeMonitor sees `dead`) and holds the newest monitor
        // first: Downs go out from its tail, in the order the monitors were set up.
        Ref oldest = watchers;
        while (oldest != null && oldest.nextMonitor != null) {
            oldest = oldest.nextMonitor;
        }
        for (Ref ref = oldest; ref != null; ) {
            Ref newer = ref.prevMonitor;
            ref.nextMonitor = null;
            ref.prevMonitor = null;
            if (ref.transition(Ref.ACTIVE, Ref.FIRING)) {
                Kernel.deliver(Objects.requireNonNull(ref.watcher), new Down(ref, pid, reason));
                ref.state(Ref.DELIVERED);
            }
            ref = newer;
        }
    }

    /// As the thread's uncaught-exception handler (which is how [Kernel#lookup()] finds the
    /// process of a thread): [#run()] catches everything, so only a failure of the logging in
    /// the exit path itself gets here, and is printed without the logger.
    @Override
    public void uncaughtException(Thread t, Throwable e) {
        System.err.println("exit path of " + pid + " failed: " + e);
    }

    // ---- exit signals -------------------------------------------------------------------

    /// Delivers the exit signal of linked process `from`, if the link still exists.
    private void linkExit(Proc from, ExitReason reason) {
        if (exiting) {
            return; // its body has ended: nothing can receive the signal or act on it
        }
        synchronized (this) {
            if (!removeLink(from)) {
                return; // unlinked, or this process is dead
            }
            signal(from.pid, reason, true);
        }
    }

    /// Delivers an exit signal from `from` (Erlang's signal handling for exit signals).
    void exitSignal(Pid from, ExitReason reason) {
        signal(from, reason, false);
    }

    private void signal(Pid from, ExitReason reason, boolean viaLink) {
        if (reason instanceof ExitReason.Kill && !viaLink) {
            kill(ExitReason.KILLED);
        } else if (trapExit) {
            Kernel.deliver(this, new Exit(from, reason));
        } else if (reason instanceof ExitReason.Normal) {
            if (from == pid) {
                kill(ExitReason.NORMAL); // exit(self(), normal) ends the caller
            }
        } else {
            kill(reason);
        }
    }

    /// Makes this process exit with `reason` at its next runtime call (or now, if it waits). A
    /// behaviour parked in its main receive is woken by [#KILLED] as a message (see
    /// [#receiveAll]); any other process by an interrupt.
    private void kill(ExitReason reason) {
        if (!exiting && PENDING.compareAndSet(this, null, reason) && !mailbox.signal(KILLED)) {
            Thread t = thread();
            if (t != null) {
                t.interrupt();
            }
        }
    }

    /// Whether an exit signal has killed this process (it exits at its next runtime call).
    boolean hasPendingExit() {
        return pendingExit != null;
    }

    /// Throws the pending exit, if an exit signal has killed this process.
    void checkPending() {
        ExitReason pending = pendingExit;
        if (pending != null) {
            Thread.interrupted();
            throw ExitException.signalled(pending);
        }
    }

    // ---- receive ------------------------------------------------------------------------

    /// Owner only: a fresh reference that marks the mailbox.
    Ref makeRef(@Nullable Proc target) {
        Ref ref = new Ref(this, target);
        mailbox.mark();
        markRef = ref;
        return ref;
    }

    /// Owner only. `deadline` on `timeClock`; `null` on timeout.
    <R> @Nullable R receive(Match<R> match, long deadline, Clock timeClock, @Nullable Ref since) {
        Object got = receiveOrKilled(match, deadline, timeClock, since);
        if (got == KILLED) {
            checkPending();
        }
        @SuppressWarnings("unchecked") // the mailbox returns what `match` returned
        R result = (R) got;
        return result;
    }

    /// What [#receiveOrKilled] and [#receiveAll] return once an exit signal has killed this
    /// process, and the message that wakes a behaviour parked in [#receiveAll] when one does.
    static final Object KILLED = new Object();

    /// Owner only: as [#receive], but returns [#KILLED] instead of throwing the pending exit.
    @Nullable
    Object receiveOrKilled(Match<?> match, long deadline, Clock timeClock, @Nullable Ref since) {
        boolean fromMark = since != null && since == markRef;
        try {
            for (; ; ) {
                if (pendingExit != null) {
                    return KILLED;
                }
                Object got = mailbox.receive(match, deadline, timeClock, fromMark, Mailbox.PARKED);
                if (got != Mailbox.INTERRUPTED && pendingExit == null) {
                    return got;
                }
                // An exit signal arrived (acted on next turn, even if a message matched: the
                // process is dead and must not act on it), or a stray interrupt.
            }
        } finally {
            if (fromMark) {
                markRef = null;
                mailbox.clearMark();
            }
        }
    }

    /// Owner only, for a behaviour's main loop: takes the first message `match` accepts, waiting
    /// until `deadline` on the process's clock (`null` on timeout). While it waits, an exit signal
    /// that kills this process wakes it with [#KILLED] as a message, which `match` must turn into
    /// the pending exit ([#checkPending()]). Returns [#KILLED] if the process was killed before it
    /// waited; a message taken after an exit signal arrived is returned too, and the caller must
    /// check [#hasPendingExit()] before acting on it.
    ///
    /// Why a message and not an interrupt: the frames of a process parked for a long time were
    /// compiled before any such process was killed, without the code for a kill. Resuming into a
    /// branch they were compiled without deoptimizes each of them (about 10 µs each: 100,000 idle
    /// buckets took 2.4-3.1 s to stop in a fresh JVM). Woken by a message, the parked frames run
    /// the path every message takes, up to `match`: a megamorphic call, so a frame of its own,
    /// entered afresh, whose first kill recompiles it once for everyone. The exception it throws
    /// passes only frames without a handler up to [#run()], whose handler every process uses.
    @Nullable
    Object receiveAll(Match<?> match, long deadline) {
        for (; ; ) {
            if (pendingExit != null) {
                return KILLED;
            }
            Object got = mailbox.receive(match, deadline, clock, false, Mailbox.SIGNALLABLE);
            if (got != Mailbox.INTERRUPTED) {
                return got;
            }
        }
    }

    // ---- links and monitors -------------------------------------------------------------

    /// Owner only: links to `other`. Returns `false` if `other` is dead.
    boolean link(Proc other) {
        if (other == this) {
            return true;
        }
        synchronized (this) {
            addLink(other);
        }
        boolean alive;
        synchronized (other) {
            alive = !other.dead;
            if (alive) {
                other.addLink(this);
            }
        }
        if (!alive) {
            synchronized (this) {
                removeLink(other);
            }
        }
        return alive;
    }

    /// Links a process that has not started yet to this one (spawn_link).
    void linkUnstarted(Proc child) {
        synchronized (this) {
            addLink(child);
        }
        synchronized (child) {
            child.addLink(this);
        }
    }

    /// Owner only: removes the link to `other`, if any.
    void unlink(Proc other) {
        synchronized (this) {
            removeLink(other);
        }
        synchronized (other) {
            other.removeLink(this);
        }
    }

    /// Registers the monitor `ref` (watched by `ref.watcher`) on this process; `false` if this
    /// process is dead.
    boolean addMonitor(Ref ref) {
        synchronized (this) {
            if (dead) {
                return false;
            }
            Ref head = monitors;
            ref.nextMonitor = head;
            if (head != null) {
                head.prevMonitor = ref;
            }
            monitors = ref;
            return true;
        }
    }

    /// Removes the monitor `ref`, if it is still registered (not yet taken by the exit path).
    void removeMonitor(Ref ref) {
        synchronized (this) {
            if (dead) {
                return;
            }
            Ref prev = ref.prevMonitor;
            Ref next = ref.nextMonitor;
            if (prev != null) {
                prev.nextMonitor = next;
            } else if (monitors == ref) {
                monitors = next;
            } else {
                return; // removed before
            }
            if (next != null) {
                next.prevMonitor = prev;
            }
            ref.prevMonitor = null;
            ref.nextMonitor = null;
        }
    }

    /// Under this process's lock: adds the link to `other` (a set only from the second one).
    private void addLink(Proc other) {
        Object l = links;
        if (l == null) {
            links = other;
        } else if (l instanceof Proc one) {
            if (one != other) {
                Set<Proc> two = new HashSet<>(4);
                two.add(one);
                two.add(other);
                links = two;
            }
        } else {
            linkSet(l).add(other);
        }
    }

    /// Under this process's lock: removes the link to `other`; `false` if there was none.
    private boolean removeLink(Proc other) {
        Object l = links;
        if (l == other) {
            links = null;
            return true;
        }
        return l != null && !(l instanceof Proc) && linkSet(l).remove(other);
    }

    /// `links` when it holds two or more.
    @SuppressWarnings("unchecked")
    private static Set<Proc> linkSet(Object links) {
        return (Set<Proc>) links;
    }

    // ---- names, timers, hooks -----------------------------------------------------------

    /// Sets the registered name; `null` on success, else why not (Erlang's badarg cases).
    synchronized @Nullable String register(String newName) {
        if (dead) {
            return "process " + pid + " is not alive";
        }
        if (name != null) {
            return "process " + pid + " is already registered as " + name;
        }
        if (!Names.claim(newName, this)) {
            return "name " + newName + " is already registered";
        }
        name = newName;
        return null;
    }

    synchronized boolean unregister(String oldName) {
        if (oldName.equals(name)) {
            name = null;
            Names.remove(oldName, this);
            return true;
        }
        return false;
    }

    synchronized @Nullable String registeredName() {
        return name;
    }

    /// Tracks a timer aimed at this process, cancelled when it exits; `false` if it is dead.
    synchronized boolean addTimer(TimerRef t) {
        if (dead) {
            return false;
        }
        if (timers == null) {
            timers = new HashSet<>(4);
        }
        timers.add(t);
        return true;
    }

    synchronized void removeTimer(TimerRef t) {
        if (timers != null) {
            timers.remove(t);
        }
    }

    /// Runs `hook` when this process exits (before its monitors fire); `false` if it is dead.
    synchronized boolean onExit(Runnable hook) {
        if (dead) {
            return false;
        }
        if (exitHooks == null) {
            exitHooks = new ArrayList<>(2);
        }
        exitHooks.add(hook);
        return true;
    }

    // ---- introspection ------------------------------------------------------------------

    boolean isAlive() {
        return !dead;
    }

    boolean isExiting() {
        return exiting;
    }

    synchronized List<Pid> linkedPids() {
        Object l = links;
        if (l == null) {
            return List.of();
        }
        return l instanceof Proc one
                ? List.of(one.pid)
                : linkSet(l).stream().map(p -> p.pid).sorted().toList();
    }

    synchronized List<Pid> monitorPids() {
        List<Pid> pids = new ArrayList<>();
        for (Ref r = monitors; r != null; r = r.nextMonitor) {
            pids.add(Objects.requireNonNull(r.watcher).pid);
        }
        pids.sort(null);
        return pids;
    }

    /// Processes are keys of link sets and registry tables, hashed by serial: no identity hash to
    /// install in the object header, and the children a supervisor starts one after another land
    /// in adjacent buckets of its link set (a DynamicSupervisor's holds every child).
    @Override
    public int hashCode() {
        return Long.hashCode(pid.id);
    }

    /// Identity, as [#hashCode()]'s serials are never reused.
    @Override
    public boolean equals(@Nullable Object o) {
        return this == o;
    }

    @Override
    public String toString() {
        return pid.toString();
    }
}
