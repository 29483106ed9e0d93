package dev.trellis.otp;

import dev.trellis.otp.observe.ChildSnapshot;
import dev.trellis.otp.observe.SupervisorSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/// What every live supervisor publishes about itself for tools: written by the supervisor
/// process only, read by any thread without a message to it.
final class SupervisorViews {
    /*
     * One View per live supervisor, in LIVE from its init until its exit hook (which runs before
     * its monitors fire, so after a supervisor's Down it is no longer listed).
     *
     * A Supervisor (few children) republishes its whole child list, an immutable List in a
     * volatile field, after each message it handles: O(children), which is what handling the
     * message cost already. A DynamicSupervisor (up to millions of children) publishes each child
     * as it comes and goes, into a ConcurrentHashMap keyed by the pid it has in the supervisor's
     * own map: one put or remove per start, exit or restart, and nothing per child when the
     * supervisor stops (the map goes with the View). Readers sort by that pid, which is the
     * supervisor's start order (serials grow; a restarted child gets a new, larger one and goes
     * to the end of the supervisor's LinkedHashMap too).
     *
     * Each field is published on its own (volatile writes); a reader sees each child and the
     * budget as they were at some point, not necessarily all at the same one. `version` is
     * written last, so a reader that sees a version sees at least what was published with it.
     */
    private static final ConcurrentHashMap<Pid, View> LIVE = new ConcurrentHashMap<>();
    private static final AtomicLong MEMBERSHIP = new AtomicLong();

    private SupervisorViews() {}

    /// The publication of one supervisor.
    static final class View {
        final Pid pid;
        final @Nullable String name;
        final String label;
        final SupervisorSnapshot.Kind kind;
        final String strategy;
        final int maxRestarts;
        final Duration period;
        final int maxChildren;
        final Clock clock;
        private final @Nullable ConcurrentHashMap<Pid, ChildSnapshot> dynamicChildren;
        private volatile List<ChildSnapshot> children = List.of();
        private volatile RestartIntensity.Published budget = RestartIntensity.Published.NONE;
        private volatile long version;
        private long published; // owner only: the next version

        private View(
                Proc self,
                @Nullable Name name,
                SupervisorSnapshot.Kind kind,
                String strategy,
                int maxRestarts,
                Duration period,
                int maxChildren) {
            this.pid = self.pid;
            this.name = name == null ? null : name.toString();
            this.label = self.label;
            this.kind = kind;
            this.strategy = strategy;
            this.maxRestarts = maxRestarts;
            this.period = period;
            this.maxChildren = maxChildren;
            this.clock = self.clock;
            this.dynamicChildren =
                    kind == SupervisorSnapshot.Kind.DYNAMIC_SUPERVISOR ? new ConcurrentHashMap<>() : null;
        }

        /// A Supervisor's whole child list, in start order.
        void children(List<ChildSnapshot> all) {
            children = List.copyOf(all);
            version = ++published;
        }

        /// A DynamicSupervisor's child, known by `key` in its map.
        void child(Pid key, ChildSnapshot child) {
            dynamicChildren().put(key, child);
            version = ++published;
        }

        /// A DynamicSupervisor's child is gone.
        void removed(Pid key) {
            if (dynamicChildren().remove(key) != null) {
                version = ++published;
            }
        }

        /// The restart window after a restart was counted.
        void budget(RestartIntensity intensity) {
            budget = intensity.published();
            version = ++published;
        }

        /// The id of the child running as `child`, if it is one of this supervisor's.
        @Nullable
        String idOf(Pid child) {
            ConcurrentHashMap<Pid, ChildSnapshot> dynamic = dynamicChildren;
            if (dynamic != null) {
                ChildSnapshot c = dynamic.get(child);
                return c == null ? null : c.id();
            }
            for (ChildSnapshot c : children) {
                if (child.equals(c.pid())) {
                    return c.id();
                }
            }
            return null;
        }

        private ConcurrentHashMap<Pid, ChildSnapshot> dynamicChildren() {
            ConcurrentHashMap<Pid, ChildSnapshot> m = dynamicChildren;
            if (m == null) {
                throw new IllegalStateException("not a dynamic supervisor: " + pid);
            }
            return m;
        }

        SupervisorSnapshot snapshot(int childLimit) {
            long v = version;
            RestartIntensity.Published b = budget;
            int left = b.remaining(maxRestarts, period.toNanos(), clock.nanoTime());
            List<ChildSnapshot> shown;
            int count;
            ConcurrentHashMap<Pid, ChildSnapshot> dynamic = dynamicChildren;
            if (dynamic == null) {
                List<ChildSnapshot> all = children;
                count = all.size();
                shown = all.size() <= childLimit ? all : all.subList(0, childLimit);
            } else {
                count = dynamic.size();
                shown = firstByPid(dynamic, childLimit);
            }
            return new SupervisorSnapshot(
                    pid,
                    name,
                    path(pid),
                    label,
                    kind,
                    strategy,
                    maxRestarts,
                    period,
                    left,
                    b.counted,
                    maxChildren,
                    count,
                    shown,
                    v);
        }
    }

    /// The `limit` entries with the smallest keys, in key order, without sorting the whole map.
    private static List<ChildSnapshot> firstByPid(Map<Pid, ChildSnapshot> children, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        PriorityQueue<Map.Entry<Pid, ChildSnapshot>> largestFirst = new PriorityQueue<>(
                Map.Entry.<Pid, ChildSnapshot>comparingByKey().reversed());
        for (Map.Entry<Pid, ChildSnapshot> e : children.entrySet()) {
            if (largestFirst.size() < limit) {
                largestFirst.add(Map.entry(e.getKey(), e.getValue()));
            } else if (e.getKey().compareTo(largestFirst.element().getKey()) < 0) {
                largestFirst.poll();
                largestFirst.add(Map.entry(e.getKey(), e.getValue()));
            }
        }
        List<Map.Entry<Pid, ChildSnapshot>> sorted = new ArrayList<>(largestFirst);
        sorted.sort(Map.Entry.comparingByKey());
        return sorted.stream().map(Map.Entry::getValue).toList();
    }

    // ---- publishing (from the supervisor process) ---------------------------------------

    /// Called by a supervisor process at the start of its init: lists it until it exits.
    static View register(
            @Nullable Name name,
            SupervisorSnapshot.Kind kind,
            String strategy,
            int maxRestarts,
            Duration period,
            int maxChildren) {
        Proc self = Kernel.current();
        View view = new View(self, name, kind, strategy, maxRestarts, period, maxChildren);
        LIVE.put(self.pid, view);
        MEMBERSHIP.incrementAndGet();
        if (!self.onExit(() -> {
            LIVE.remove(self.pid, view);
            MEMBERSHIP.incrementAndGet();
        })) {
            LIVE.remove(self.pid, view);
        }
        return view;
    }

    /// How tools print a child id: a class as its simple name, anything else as itself.
    static String idText(Object id) {
        return id instanceof Class<?> c ? c.getSimpleName() : String.valueOf(id);
    }

    /// The Erlang spelling of a strategy.
    static String erlang(SupervisorFlags.Strategy strategy) {
        return switch (strategy) {
            case ONE_FOR_ONE -> "one_for_one";
            case ONE_FOR_ALL -> "one_for_all";
            case REST_FOR_ONE -> "rest_for_one";
        };
    }

    private static String erlang(ChildSpec.Type type) {
        return switch (type) {
            case WORKER -> "worker";
            case SUPERVISOR -> "supervisor";
        };
    }

    private static String erlang(ChildSpec.Restart restart) {
        return switch (restart) {
            case PERMANENT -> "permanent";
            case TRANSIENT -> "transient";
            case TEMPORARY -> "temporary";
        };
    }

    static ChildSnapshot child(
            Object id,
            @Nullable Pid pid,
            boolean restarting,
            ChildSpec spec,
            int restarts,
            @Nullable ExitReason lastExit) {
        ChildSnapshot.State state = pid != null
                ? ChildSnapshot.State.RUNNING
                : restarting ? ChildSnapshot.State.RESTARTING : ChildSnapshot.State.UNDEFINED;
        return new ChildSnapshot(
                idText(id), pid, state, erlang(spec.type()), erlang(spec.restart()), restarts, lastExit);
    }

    // ---- reading (any thread) -----------------------------------------------------------

    static List<SupervisorSnapshot> all(int childLimit) {
        List<View> views = new ArrayList<>(LIVE.values());
        views.sort(Comparator.comparing(v -> v.pid));
        List<SupervisorSnapshot> snapshots = new ArrayList<>(views.size());
        for (View v : views) {
            snapshots.add(v.snapshot(childLimit));
        }
        return snapshots;
    }

    static Optional<SupervisorSnapshot> get(Pid pid, int childLimit) {
        View v = LIVE.get(pid);
        return v == null ? Optional.empty() : Optional.of(v.snapshot(childLimit));
    }

    /// Changes whenever a supervisor publishes, starts or exits.
    static long version() {
        long sum = MEMBERSHIP.get() << 32;
        for (View v : LIVE.values()) {
            sum += v.version;
        }
        return sum;
    }

    /// The supervisor's name, else the path of child ids from its application (or from the
    /// first ancestor that is not a supervisor, by its label): stable across restarts.
    static String path(Pid pid) {
        View v = LIVE.get(pid);
        if (v == null) {
            return pid.proc.label;
        }
        if (v.name != null) {
            return v.name;
        }
        Pid parent = pid.proc.parent;
        if (parent == null) {
            return v.label;
        }
        View up = LIVE.get(parent);
        if (up == null) {
            for (Application.Info app : Application.whichApplications()) {
                if (app.supervisor().equals(pid)) {
                    return app.name();
                }
            }
            return v.label;
        }
        String id = up.idOf(pid);
        return path(parent) + "/" + (id != null ? id : v.label);
    }
}
