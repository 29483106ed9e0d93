package dev.trellis.otp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/// Stopping supervised children, from inside the supervisor process.
final class ChildShutdown {
    /*
     * Mirrors supervisor.erl (shutdown/1, monitor_child/1, unlink_flush/2) and Elixir's
     * DynamicSupervisor (monitor_child/1, terminate_children/2, wait_children/4).
     *
     * Stopping one child: monitor it, unlink it, then look for an Exit it already sent (it
     * exited on its own before the unlink: its real reason is in that Exit, the Down will say so
     * too or say noproc, and is consumed). Otherwise send the exit signal the shutdown asks for
     * and wait for the Down, which carries the child's real reason even if it exited on its own
     * in between. Because the link is gone, no Exit from this child can reach the supervisor
     * afterwards: an exit during shutdown is never mistaken for a new failure.
     *
     * Stopping many in parallel: monitor + unlink all, flush their queued Exits, signal all, arm
     * one kill timer per distinct timeout, then collect Downs; a timer kills those of its group
     * still alive. Cost is linear in the number of children (no per-child mailbox scan).
     *
     * Reported ("shutdown_error") unless expected: brutal kill -> killed; otherwise shutdown; and
     * for non-permanent children also normal and {shutdown, _} (shutdown/1 in supervisor.erl).
     */
    private ChildShutdown() {}

    /// Whether a child stopped as `spec` says and exiting with `reason` stopped as asked (else it
    /// is reported as a shutdown error).
    static boolean expected(ChildSpec spec, ExitReason reason) {
        boolean cleanAllowed = spec.restart() != ChildSpec.Restart.PERMANENT && reason.isClean();
        return switch (spec.shutdown()) {
            case ChildSpec.Shutdown.BrutalKill b -> reason instanceof ExitReason.Killed || cleanAllowed;
            case ChildSpec.Shutdown.Timeout t -> reason.equals(ExitReason.SHUTDOWN) || cleanAllowed;
            case ChildSpec.Shutdown.Infinity i -> reason.equals(ExitReason.SHUTDOWN) || cleanAllowed;
        };
    }

    /// Stops the child `pid` as `spec` says and returns the reason it exited with.
    static ExitReason stop(Pid pid, ChildSpec spec) {
        Ref mon = Kernel.monitor(pid);
        Kernel.unlink(pid);
        Optional<Exit> early = Kernel.receive(exitFrom(pid), Duration.ZERO);
        if (early.isPresent()) {
            awaitDown(mon, Kernel.INFINITY);
            return early.get().reason();
        }
        return switch (spec.shutdown()) {
            case ChildSpec.Shutdown.BrutalKill b -> {
                Kernel.exit(pid, ExitReason.KILL);
                yield awaitDown(mon, Kernel.INFINITY).orElseThrow().reason();
            }
            case ChildSpec.Shutdown.Timeout t -> {
                Kernel.exit(pid, ExitReason.SHUTDOWN);
                Optional<Down> down = awaitDown(mon, t.timeout());
                if (down.isPresent()) {
                    yield down.get().reason();
                }
                Kernel.exit(pid, ExitReason.KILL);
                yield awaitDown(mon, Kernel.INFINITY).orElseThrow().reason();
            }
            case ChildSpec.Shutdown.Infinity i -> {
                Kernel.exit(pid, ExitReason.SHUTDOWN);
                yield awaitDown(mon, Kernel.INFINITY).orElseThrow().reason();
            }
        };
    }

    /// A child to stop with [#stopAll(List, Reporter)].
    record Stopping(Pid pid, ChildSpec spec) {}

    /// Receives the children that did not stop as asked.
    @FunctionalInterface
    interface Reporter {
        void unexpected(Pid pid, ChildSpec spec, ExitReason reason);
    }

    /// Stops all `children` in parallel and returns once all have exited: each gets its exit
    /// signal before the first is waited for, so the whole takes about the longest shutdown, not
    /// their sum.
    static void stopAll(List<Stopping> children, Reporter report) {
        Map<Ref, Waiting> waiting = new HashMap<>(children.size() * 2);
        Map<Pid, Waiting> byPid = new HashMap<>(children.size() * 2);
        for (Stopping child : children) {
            Ref mon = Kernel.monitor(child.pid());
            Kernel.unlink(child.pid());
            Waiting w = new Waiting(child.pid(), child.spec(), mon);
            waiting.put(mon, w);
            byPid.put(child.pid(), w);
        }
        for (; ; ) { // Exits queued before the unlinks: those children exited on their own
            Optional<Exit> early =
                    Kernel.receive(m -> m instanceof Exit e && byPid.containsKey(e.from()) ? e : null, Duration.ZERO);
            if (early.isEmpty()) {
                break;
            }
            Waiting w = byPid.get(early.get().from());
            if (w != null && w.early == null) {
                w.early = early.get().reason();
            }
        }
        Map<Duration, List<Waiting>> byTimeout = new HashMap<>();
        for (Waiting w : waiting.values()) {
            if (w.early != null) {
                continue;
            }
            switch (w.spec.shutdown()) {
                case ChildSpec.Shutdown.BrutalKill b -> Kernel.exit(w.pid, ExitReason.KILL);
                case ChildSpec.Shutdown.Timeout t -> {
                    Kernel.exit(w.pid, ExitReason.SHUTDOWN);
                    byTimeout
                            .computeIfAbsent(t.timeout(), d -> new ArrayList<>())
                            .add(w);
                }
                case ChildSpec.Shutdown.Infinity i -> Kernel.exit(w.pid, ExitReason.SHUTDOWN);
            }
        }
        Map<KillTimer, List<Waiting>> timers = new HashMap<>();
        Map<KillTimer, TimerRef> timerRefs = new HashMap<>();
        Pid self = Kernel.self();
        for (Map.Entry<Duration, List<Waiting>> group : byTimeout.entrySet()) {
            KillTimer token = new KillTimer(Kernel.makeRef());
            timers.put(token, group.getValue());
            timerRefs.put(token, Kernel.sendAfter(self, token, group.getKey()));
        }
        while (!waiting.isEmpty()) {
            Object m = Kernel.receive(msg -> msg instanceof Down d && waiting.containsKey(d.ref())
                    ? d
                    : msg instanceof KillTimer k && timers.containsKey(k) ? k : null);
            if (m instanceof Down d) {
                Waiting w = waiting.remove(d.ref());
                if (w != null) {
                    ExitReason reason = w.early != null ? w.early : d.reason();
                    if (!expected(w.spec, reason)) {
                        report.unexpected(w.pid, w.spec, reason);
                    }
                }
            } else if (m instanceof KillTimer k) {
                timerRefs.remove(k);
                for (Waiting w : timers.getOrDefault(k, List.of())) {
                    if (waiting.containsKey(w.mon)) {
                        Kernel.exit(w.pid, ExitReason.KILL);
                    }
                }
                timers.remove(k);
            }
        }
        for (Map.Entry<KillTimer, TimerRef> t : timerRefs.entrySet()) {
            if (Kernel.cancelTimer(t.getValue()).isEmpty()) {
                // It fired: its message is in the mailbox or one enqueue away. Take it.
                KillTimer token = t.getKey();
                Kernel.receive(msg -> msg.equals(token) ? msg : null);
            }
        }
    }

    private static Match<Exit> exitFrom(Pid pid) {
        return m -> m instanceof Exit e && e.from().equals(pid) ? e : null;
    }

    private static Optional<Down> awaitDown(Ref mon, Duration timeout) {
        return Kernel.receive(mon, m -> m instanceof Down d && d.ref() == mon ? d : null, timeout);
    }

    /// The message of the timer that kills the children of one timeout group.
    private record KillTimer(Ref token) {}

    private static final class Waiting {
        final Pid pid;
        final ChildSpec spec;
        final Ref mon;

        @Nullable
        ExitReason early;

        Waiting(Pid pid, ChildSpec spec, Ref mon) {
            this.pid = pid;
            this.spec = spec;
            this.mon = mon;
        }
    }
}
