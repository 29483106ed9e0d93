package dev.trellis.otp;

import dev.trellis.otp.observe.ChildSnapshot;
import dev.trellis.otp.observe.SupervisorSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/// The process of a [Supervisor]: a [GenServer] that traps exits, starts its children in order,
/// restarts them by its strategy and stops them in reverse order.
final class SupervisorServer implements GenServer<SupervisorServer.Msg, SupervisorServer.State> {
    /*
     * Mirrors supervisor.erl (init_children, start_children, handle_call clauses, restart_child,
     * do_restart, restart/2,3, restart_multiple_children, terminate_children, do_auto_shutdown).
     *
     * Invariants (all state is owned by the supervisor process):
     *   - `children` is in start order; `byId` has the same children; `byPid` has exactly the
     *     children whose `pid` is non-null, keyed by it.
     *   - a child is linked to the supervisor while its pid is in `byPid`; ChildShutdown.stop
     *     unlinks it and consumes its Exit, so an Exit for a pid not in `byPid` is stale and
     *     ignored (as restart_child/3 ignores unknown pids).
     *   - `restarting` children have no pid; a TryAgain(id) message is queued for them, so the
     *     retry runs after whatever else is waiting (try_again_restart/1 casts to itself).
     *   - temporary children are forgotten as soon as they are not running.
     */
    sealed interface Msg {}

    record WhichChildren() implements Msg, Call<List<ChildInfo>> {}

    record CountChildren() implements Msg, Call<ChildCounts> {}

    /// Replies a [Supervisor.StartChildResult] or an [IllegalArgumentException] to rethrow.
    record StartChild(ChildSpec spec) implements Msg, Call<Object> {}

    record TerminateChild(Object id) implements Msg, Call<Supervisor.TerminateChildResult> {}

    record RestartChild(Object id) implements Msg, Call<Supervisor.RestartChildResult> {}

    record DeleteChild(Object id) implements Msg, Call<Supervisor.DeleteChildResult> {}

    record GetChildSpec(Object id) implements Msg, Call<Optional<ChildSpec>> {}

    /// Retry the failed restart of child `id` (Erlang's `{try_again_restart, Id}`).
    record TryAgain(Object id) {}

    private final List<ChildSpec> specs;
    private final SupervisorFlags flags;
    private final @Nullable Name name;

    SupervisorServer(List<ChildSpec> specs, SupervisorFlags flags, @Nullable Name name) {
        this.specs = List.copyOf(specs);
        this.flags = flags;
        this.name = name;
    }

    static final class Child {
        final ChildSpec spec;

        @Nullable
        Pid pid;

        boolean restarting;
        boolean removed;
        int restarts;

        @Nullable
        ExitReason lastExit;

        /// The pid it ran as before it stopped, for the restart event.
        @Nullable
        Pid lastPid;

        Child(ChildSpec spec) {
            this.spec = spec;
        }

        boolean temporary() {
            return spec.restart() == ChildSpec.Restart.TEMPORARY;
        }
    }

    static final class State {
        final SupervisorFlags flags;
        final String name;
        final RestartIntensity intensity;
        final SupervisorViews.View view;
        final List<Child> children = new ArrayList<>();
        final Map<Object, Child> byId = new HashMap<>();
        final Map<Pid, Child> byPid = new HashMap<>();

        State(SupervisorFlags flags, String name, SupervisorViews.View view) {
            this.flags = flags;
            this.name = name;
            this.intensity = new RestartIntensity(flags.intensity(), flags.period());
            this.view = view;
        }

        void add(Child c) {
            children.add(c);
            byId.put(c.spec.id(), c);
            if (c.pid != null) {
                byPid.put(c.pid, c);
            }
        }

        void setPid(Child c, @Nullable Pid pid) {
            if (c.pid != null) {
                byPid.remove(c.pid);
                c.lastPid = c.pid;
            }
            c.pid = pid;
            c.restarting = false;
            if (pid != null) {
                byPid.put(pid, c);
            }
        }

        void remove(Child c) {
            setPid(c, null);
            children.remove(c);
            byId.remove(c.spec.id());
            c.removed = true;
        }

        /// Erlang's del_child: a temporary child is forgotten, another one kept without a pid.
        void delChild(Child c) {
            if (c.temporary()) {
                remove(c);
            } else {
                setPid(c, null);
            }
        }

        @Override
        public String toString() {
            return "Supervisor[" + name + ", " + flags.strategy() + ", children=" + children.size() + "]";
        }
    }

    // ---- init ---------------------------------------------------------------------------

    @Override
    public Init<State> init() {
        Kernel.trapExit(true);
        SupervisorViews.View view = SupervisorViews.register(
                name,
                SupervisorSnapshot.Kind.SUPERVISOR,
                SupervisorViews.erlang(flags.strategy()),
                flags.intensity(),
                flags.period(),
                Integer.MAX_VALUE);
        State state =
                new State(flags, name != null ? name.toString() : Kernel.self().toString(), view);
        for (ChildSpec spec : specs) {
            Child c = new Child(spec);
            StartResult result = start(state, c);
            switch (result) {
                case StartResult.Ok ok -> {
                    c.pid = ok.pid();
                    state.add(c);
                }
                case StartResult.Ignore i -> {
                    if (!c.temporary()) {
                        state.add(c);
                    }
                }
                case StartResult.Failed f -> {
                    return failedToStart(state, spec, f.reason());
                }
                case StartResult.AlreadyStarted a -> {
                    return failedToStart(state, spec, ChildStarter.failure(a));
                }
            }
        }
        publish(state);
        return Init.ok(state);
    }

    private static Init<State> failedToStart(State state, ChildSpec spec, ExitReason reason) {
        SupervisorReports.startError(state.name, spec.id(), reason);
        terminateAll(state);
        return Init.stop(ExitReason.shutdown(new Supervisor.FailedToStartChild(spec.id(), reason)));
    }

    // ---- calls --------------------------------------------------------------------------

    @Override
    public Next<State> handle(Msg msg, State state) {
        Next<State> next = switch (msg) {
            case WhichChildren w -> Next.reply(w, whichChildren(state), state);
            case CountChildren c -> Next.reply(c, countChildren(state), state);
            case StartChild s -> Next.reply(s, startChild(state, s.spec()), state);
            case TerminateChild t -> Next.reply(t, terminateChild(state, t.id()), state);
            case RestartChild r -> Next.reply(r, restartChild(state, r.id()), state);
            case DeleteChild d -> Next.reply(d, deleteChild(state, d.id()), state);
            case GetChildSpec g ->
                Next.reply(g, Optional.ofNullable(state.byId.get(g.id())).map(c -> c.spec), state);
        };
        publish(state);
        return next;
    }

    /// Publishes the children as they are now, for tools (see [SupervisorViews]).
    private static void publish(State state) {
        List<ChildSnapshot> children = new ArrayList<>(state.children.size());
        for (Child c : state.children) {
            children.add(SupervisorViews.child(c.spec.id(), c.pid, c.restarting, c.spec, c.restarts, c.lastExit));
        }
        state.view.children(children);
    }

    private static List<ChildInfo> whichChildren(State state) {
        List<ChildInfo> infos = new ArrayList<>(state.children.size());
        for (Child c : state.children) {
            infos.add(info(c));
        }
        return List.copyOf(infos);
    }

    static ChildInfo info(Child c) {
        return new ChildInfo(
                c.spec.id(),
                Optional.ofNullable(c.pid),
                c.restarting,
                c.spec.type(),
                c.spec.restart(),
                c.restarts,
                Optional.ofNullable(c.lastExit));
    }

    private static ChildCounts countChildren(State state) {
        int active = 0;
        int supervisors = 0;
        for (Child c : state.children) {
            Pid pid = c.pid;
            if (pid != null && Kernel.isAlive(pid)) {
                active++;
            }
            if (c.spec.type() == ChildSpec.Type.SUPERVISOR) {
                supervisors++;
            }
        }
        int specs = state.children.size();
        return new ChildCounts(specs, active, supervisors, specs - supervisors);
    }

    private static Object startChild(State state, ChildSpec spec) {
        String invalid = Supervisor.invalid(spec, state.flags);
        if (invalid != null) {
            return new IllegalArgumentException(invalid);
        }
        Child existing = state.byId.get(spec.id());
        if (existing != null) {
            Pid pid = existing.pid;
            return pid != null ? new Supervisor.AlreadyStarted(pid) : new Supervisor.AlreadyPresent();
        }
        Child c = new Child(spec);
        return switch (start(state, c)) {
            case StartResult.Ok ok -> {
                c.pid = ok.pid();
                state.add(c);
                yield new Supervisor.Started(ok.pid());
            }
            case StartResult.Ignore i -> {
                if (!c.temporary()) {
                    state.add(c);
                }
                yield new Supervisor.Ignored();
            }
            case StartResult.AlreadyStarted a -> new Supervisor.AlreadyStarted(a.pid());
            case StartResult.Failed f -> new Supervisor.Failed(f.reason());
        };
    }

    private static Supervisor.TerminateChildResult terminateChild(State state, Object id) {
        Child c = state.byId.get(id);
        if (c == null) {
            return new Supervisor.NotFound();
        }
        terminate(state, c);
        state.delChild(c);
        return new Supervisor.Terminated();
    }

    private static Supervisor.RestartChildResult restartChild(State state, Object id) {
        Child c = state.byId.get(id);
        if (c == null) {
            return new Supervisor.NotFound();
        }
        if (c.restarting) {
            return new Supervisor.Restarting();
        }
        if (c.pid != null) {
            return new Supervisor.Running();
        }
        StartResult result = start(state, c);
        return switch (result) {
            case StartResult.Ok ok -> {
                state.setPid(c, ok.pid());
                yield new Supervisor.Started(ok.pid());
            }
            case StartResult.Ignore i -> new Supervisor.Ignored();
            case StartResult.Failed f -> new Supervisor.Failed(f.reason());
            case StartResult.AlreadyStarted a -> new Supervisor.Failed(ChildStarter.failure(a));
        };
    }

    private static Supervisor.DeleteChildResult deleteChild(State state, Object id) {
        Child c = state.byId.get(id);
        if (c == null) {
            return new Supervisor.NotFound();
        }
        if (c.restarting) {
            return new Supervisor.Restarting();
        }
        if (c.pid != null) {
            return new Supervisor.Running();
        }
        state.remove(c);
        return new Supervisor.Deleted();
    }

    // ---- exits and restarts -------------------------------------------------------------

    @Override
    public Next<State> handleInfo(Object message, State state) {
        Next<State> next = switch (message) {
            case Exit e -> {
                Child c = state.byPid.get(e.from());
                yield c == null ? Next.noreply(state) : childExited(state, c, e.from(), e.reason());
            }
            case TryAgain t -> {
                Child c = state.byId.get(t.id());
                yield c != null && c.restarting ? restart(state, c) : Next.noreply(state);
            }
            default -> {
                SupervisorReports.unexpected(state.name, message);
                yield Next.noreply(state);
            }
        };
        publish(state);
        return next;
    }

    /// Erlang's do_restart/3: the 9 cells of restart type x exit reason.
    private static Next<State> childExited(State state, Child c, Pid pid, ExitReason reason) {
        state.setPid(c, null);
        c.lastExit = reason;
        if (c.spec.restart() == ChildSpec.Restart.PERMANENT) {
            SupervisorReports.childTerminated(state.name, c.spec.id(), pid, reason);
            return restart(state, c);
        }
        if (reason.isClean()) {
            state.delChild(c);
            return autoShutdown(state, c);
        }
        SupervisorReports.childTerminated(state.name, c.spec.id(), pid, reason);
        if (c.spec.restart() == ChildSpec.Restart.TRANSIENT) {
            return restart(state, c);
        }
        state.delChild(c);
        return autoShutdown(state, c);
    }

    private static Next<State> autoShutdown(State state, Child exited) {
        if (!exited.spec.isSignificant()) {
            return Next.noreply(state);
        }
        return switch (state.flags.autoShutdown()) {
            case NEVER -> Next.noreply(state);
            case ANY_SIGNIFICANT -> Next.stop(ExitReason.SHUTDOWN, state);
            case ALL_SIGNIFICANT -> {
                for (Child c : state.children) {
                    if (c.spec.isSignificant() && (c.pid != null || c.restarting)) {
                        yield Next.noreply(state);
                    }
                }
                yield Next.stop(ExitReason.SHUTDOWN, state);
            }
        };
    }

    /// Erlang's restart/2: count the restart against the intensity, then restart by strategy.
    private static Next<State> restart(State state, Child c) {
        if (!state.intensity.add(Kernel.clock().nanoTime())) {
            SupervisorReports.intensityReached(state.name, c.spec.id());
            RuntimeEvents.intensityExceeded(state.view, c.spec.id());
            state.delChild(c);
            return Next.stop(ExitReason.SHUTDOWN, state);
        }
        state.view.budget(state.intensity);
        switch (state.flags.strategy()) {
            case ONE_FOR_ONE -> {
                state.setPid(c, null);
                startAgain(state, c);
            }
            case ONE_FOR_ALL -> restartGroup(state, c, new ArrayList<>(state.children));
            case REST_FOR_ONE -> {
                int i = state.children.indexOf(c);
                restartGroup(state, c, new ArrayList<>(state.children.subList(i, state.children.size())));
            }
        }
        return Next.noreply(state);
    }

    /// Erlang's restart_multiple_children/3: terminate `group` (but `failed`) in reverse order,
    /// then start it in order; temporary members are forgotten instead of restarted.
    private static void restartGroup(State state, Child failed, List<Child> group) {
        for (int i = group.size() - 1; i >= 0; i--) {
            Child g = group.get(i);
            if (g == failed) {
                state.setPid(g, null);
                continue;
            }
            terminate(state, g);
            if (g.temporary()) {
                state.remove(g);
            }
        }
        for (Child g : group) {
            if (!g.removed && !startAgain(state, g)) {
                return; // the rest stay stopped until the retry restarts the group again
            }
        }
    }

    /// Starts `c` again; on failure marks it restarting and queues a retry. `false` if it failed.
    private static boolean startAgain(State state, Child c) {
        return switch (start(state, c)) {
            case StartResult.Ok ok -> {
                state.setPid(c, ok.pid());
                c.restarts++;
                RuntimeEvents.restarted(state.view, c.spec.id(), c.lastPid, ok.pid(), c.restarts, c.lastExit);
                yield true;
            }
            case StartResult.Ignore i -> {
                if (c.temporary()) {
                    state.remove(c);
                } else {
                    state.setPid(c, null);
                }
                yield true;
            }
            case StartResult.Failed f -> retryLater(state, c, f.reason());
            case StartResult.AlreadyStarted a -> retryLater(state, c, ChildStarter.failure(a));
        };
    }

    private static boolean retryLater(State state, Child c, ExitReason reason) {
        SupervisorReports.startError(state.name, c.spec.id(), reason);
        state.setPid(c, null);
        c.restarting = true;
        Kernel.send(Kernel.self(), new TryAgain(c.spec.id()));
        return false;
    }

    // ---- stopping -----------------------------------------------------------------------

    @Override
    public void terminate(ExitReason reason, State state) {
        terminateAll(state);
    }

    /// Stops every running child, in reverse start order.
    private static void terminateAll(State state) {
        List<Child> children = state.children;
        for (int i = children.size() - 1; i >= 0; i--) {
            terminate(state, children.get(i));
        }
    }

    /// Stops `c` if it runs (Erlang's do_terminate/2); it is left without a pid.
    private static void terminate(State state, Child c) {
        Pid pid = c.pid;
        if (pid != null) {
            ExitReason reason = ChildShutdown.stop(pid, c.spec);
            if (!ChildShutdown.expected(c.spec, reason)) {
                SupervisorReports.shutdownError(state.name, c.spec.id(), pid, reason);
            }
            c.lastExit = reason;
        }
        state.setPid(c, null);
    }

    private static StartResult start(State state, Child c) {
        StartResult result = ChildStarter.start(c.spec, List.of());
        if (result instanceof StartResult.Ok ok) {
            SupervisorReports.progress(state.name, c.spec.id(), ok.pid());
        }
        return result;
    }

    @Override
    public String describe(State state) {
        return state.toString();
    }
}
