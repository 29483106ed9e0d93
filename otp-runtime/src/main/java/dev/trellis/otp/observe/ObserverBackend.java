package dev.trellis.otp.observe;

import dev.trellis.otp.Application;
import dev.trellis.otp.Kernel;
import dev.trellis.otp.Pid;
import dev.trellis.otp.Table;
import dev.trellis.otp.internal.RuntimeAccess;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/// Everything a tool reads about the running runtime (Erlang's `observer_backend`): processes,
/// supervisors, applications, tables, counters and the event feed. Callable from any thread;
/// nothing here sends a message to a process or waits for one, so drawing a page of the
/// Observer never blocks on a busy process.
///
/// ## Examples
///
/// ```java
/// List<ProcessSummary> rows = ObserverBackend.processes();        // 100,000 rows in milliseconds
/// for (SupervisorSnapshot sup : ObserverBackend.supervisors(50)) {
///     System.out.println(sup.path() + " " + sup.strategy() + " budget " + sup.restartsLeft());
/// }
/// try (Subscription s = ObserverBackend.subscribe(event -> queue.offer(event))) {
///     ...                                                         // crashes, restarts, give-ups
/// }
/// ```
///
/// ## The event feed
///
/// [#subscribe(Consumer)] delivers every [RuntimeEvent] published while subscribed, on the
/// thread of the process it happened in, as it happens: a listener must be quick and must not
/// block (hand the event to a queue). A listener that throws is logged and stays subscribed.
/// While anyone is subscribed, the most recent [#RECENT_EVENTS] events are kept for
/// [#recentEvents()]; while nobody is, publishing costs a counter ([#supervisionCounts()]) and
/// nothing else.
///
/// ## Consistency
///
/// Each snapshot is taken field by field while the runtime runs on: it is what a process or
/// supervisor looked like at some moment, and may be stale when read. A process listed may
/// have exited by the time the list is returned.
///
/// ## Differences from Erlang
///
/// Erlang's `observer_backend` asks each supervisor (`which_children`) and locks each process
/// (`process_info`); here supervisors publish their snapshots themselves and the listing reads
/// processes without stopping them, so a busy supervisor is still drawn. See ADR 0008.
public final class ObserverBackend {
    /*
     * A facade over Kernel/Application/Table (public reads) and RuntimeAccess (the process table,
     * supervisor publications and event feed, package-private to dev.trellis.otp). Every method
     * is lock-free or takes only uncontended per-process locks for a moment, never a process's
     * attention.
     */
    /// How many recent events [#recentEvents()] keeps.
    public static final int RECENT_EVENTS = 1024;

    private static final Pattern PID = Pattern.compile("<?0\\.(\\d{1,18})\\.0>?|(\\d{1,18})");

    private ObserverBackend() {}

    // ---- processes ----------------------------------------------------------------------

    /// Every live process, in no particular order: one cheap row each (no stack trace).
    public static List<ProcessSummary> processes() {
        return RuntimeAccess.get().processes();
    }

    /// The row of `pid`, or empty if it is not alive.
    public static Optional<ProcessSummary> summary(Pid pid) {
        return RuntimeAccess.get().summary(pid);
    }

    /// The detail of `pid` with its stack, links and monitors, or empty if it is not alive.
    public static Optional<ProcessInfo> processInfo(Pid pid) {
        return Kernel.processInfo(pid);
    }

    /// The live process written as `text` (`<0.42.0>`, `0.42.0` or `42`), or empty if no live
    /// process has that number.
    ///
    /// @throws IllegalArgumentException if `text` is not a pid
    public static Optional<Pid> findProcess(String text) {
        Matcher m = PID.matcher(Objects.requireNonNull(text, "text").strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a pid: " + text + " (expected <0.N.0>)");
        }
        String serial = m.group(1) != null ? m.group(1) : m.group(2);
        return RuntimeAccess.get().find(Long.parseLong(serial));
    }

    /// Runtime-wide counters: processes, spawns, exits by kind, messages, names, timers.
    public static RuntimeStatistics statistics() {
        return Kernel.statistics();
    }

    // ---- supervision --------------------------------------------------------------------

    /// Every live supervisor, in pid order, each with at most `childLimit` children (the first
    /// in start order; [SupervisorSnapshot#childCount()] has them all).
    ///
    /// @throws IllegalArgumentException if `childLimit` is negative
    public static List<SupervisorSnapshot> supervisors(int childLimit) {
        return RuntimeAccess.get().supervisors(checkLimit(childLimit));
    }

    /// The live supervisor `pid` with at most `childLimit` children, or empty if `pid` is not a
    /// live supervisor.
    ///
    /// @throws IllegalArgumentException if `childLimit` is negative
    public static Optional<SupervisorSnapshot> supervisor(Pid pid, int childLimit) {
        return RuntimeAccess.get().supervisor(pid, checkLimit(childLimit));
    }

    /// A number that changes whenever any supervisor publishes (a child started, exited,
    /// restarted) or a supervisor starts or exits: poll it to redraw a tree only when it changed.
    public static long supervisionVersion() {
        return RuntimeAccess.get().supervisionVersion();
    }

    /// Restarts and intensity give-ups since start.
    public static SupervisionCounts supervisionCounts() {
        return RuntimeAccess.get().supervisionCounts();
    }

    /// The running applications, by name.
    public static List<ApplicationSnapshot> applications() {
        return Application.whichApplications().stream()
                .map(a -> new ApplicationSnapshot(a.name(), a.supervisor()))
                .toList();
    }

    /// Every existing table, by name then owner.
    public static List<TableInfo> tables() {
        return Table.all();
    }

    // ---- events -------------------------------------------------------------------------

    /// Delivers every event published from now on to `listener` until the subscription is
    /// closed (see "The event feed").
    public static Subscription subscribe(Consumer<? super RuntimeEvent> listener) {
        return RuntimeAccess.get().subscribe(Objects.requireNonNull(listener, "listener"));
    }

    /// The most recent events published while someone was subscribed (at most
    /// [#RECENT_EVENTS]), oldest first.
    public static List<RuntimeEvent> recentEvents() {
        return RuntimeAccess.get().recentEvents();
    }

    private static int checkLimit(int childLimit) {
        if (childLimit < 0) {
            throw new IllegalArgumentException("childLimit must be >= 0: " + childLimit);
        }
        return childLimit;
    }
}
