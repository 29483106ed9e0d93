package dev.trellis.otp;

import dev.trellis.otp.observe.SupervisorSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/// The process of a [DynamicSupervisor]: a [GenServer] that traps exits and keeps its children
/// in a map keyed by pid.
final class DynamicSupervisorServer implements GenServer<DynamicSupervisorServer.Msg, DynamicSupervisorServer.State> {
    /*
     * Mirrors Elixir's DynamicSupervisor (handle_call start_child / terminate_child /
     * which_children / count_children, maybe_restart_child, restart_child, add_restart,
     * terminate_children) and simple_one_for_one in supervisor.erl.
     *
     * Invariants (all state owned by the supervisor process):
     *   - `children` maps the pid of every running child to its entry, and the last pid of every
     *     restarting child to its entry (restarting = true), in start order. Its size is what
     *     max_children limits, restarting children included.
     *   - `restarting` and `supervisors` count the entries with that flag / type.
     *   - a temporary child's entry is removed as soon as it exits: nothing is retained.
     *   - a restarting entry has a TryAgain(pid) queued; the retry reuses the same spec and the
     *     supervisor's extra arguments, so a permanent child keeps them across restarts.
     *   - running children are linked; ChildShutdown unlinks them before stopping them, so an Exit
     *     for a pid that is not in `children` is stale and ignored.
     */
    sealed interface Msg {}

    record StartChild(ChildSpec spec) implements Msg, Call<DynamicSupervisor.StartChildResult> {}

    record TerminateChild(Pid pid) implements Msg, Call<DynamicSupervisor.TerminateChildResult> {}

    record WhichChildren() implements Msg, Call<List<ChildInfo>> {}

    record CountChildren() implements Msg, Call<ChildCounts> {}

    /// Retry the failed restart of the child last known as `pid` (Elixir's `{:"$gen_restart", pid}`).
    record TryAgain(Pid pid) {}

    /// One child: its spec, whether its restart is being retried, how often it was restarted.
    record Entry(
            ChildSpec spec,
            boolean restarting,
            int restarts,
            @Nullable ExitReason lastExit) {}

    static final class State {
        final DynamicSupervisorFlags flags;
        final String name;
        final RestartIntensity intensity;
        final SupervisorViews.View view;
        final Map<Pid, Entry> children = new LinkedHashMap<>();
        int restarting;
        int supervisors;

        State(DynamicSupervisorFlags flags, String name, SupervisorViews.View view) {
            this.flags = flags;
            this.name = name;
            this.intensity = new RestartIntensity(flags.maxRestarts(), flags.maxSeconds());
            this.view = view;
        }

        void put(Pid pid, Entry e) {
            view.child(
                    pid,
                    SupervisorViews.child(
                            e.spec().id(),
                            e.restarting() ? null : pid,
                            e.restarting(),
                            e.spec(),
                            e.restarts(),
                            e.lastExit()));
            Entry old = children.put(pid, e);
            if (old != null) {
                forget(old);
            }
            if (e.restarting()) {
                restarting++;
            }
            if (e.spec().type() == ChildSpec.Type.SUPERVISOR) {
                supervisors++;
            }
        }

        void remove(Pid pid) {
            view.removed(pid);
            Entry old = children.remove(pid);
            if (old != null) {
                forget(old);
            }
        }

        private void forget(Entry e) {
            if (e.restarting()) {
                restarting--;
            }
            if (e.spec().type() == ChildSpec.Type.SUPERVISOR) {
                supervisors--;
            }
        }

        @Override
        public String toString() {
            return "DynamicSupervisor[" + name + ", children=" + children.size() + ", restarting=" + restarting + "]";
        }
    }

    private final DynamicSupervisorFlags flags;
    private final @Nullable Name name;

    DynamicSupervisorServer(DynamicSupervisorFlags flags, @Nullable Name name) {
        this.flags = flags;
        this.name = name;
    }

    @Override
    public Init<State> init() {
        Kernel.trapExit(true);
        SupervisorViews.View view = SupervisorViews.register(
                name,
                SupervisorSnapshot.Kind.DYNAMIC_SUPERVISOR,
                "one_for_one",
                flags.maxRestarts(),
                flags.maxSeconds(),
                flags.maxChildren());
        return Init.ok(
                new State(flags, name != null ? name.toString() : Kernel.self().toString(), view));
    }

    // ---- calls --------------------------------------------------------------------------

    @Override
    public Next<State> handle(Msg msg, State state) {
        return switch (msg) {
            case StartChild s -> Next.reply(s, startChild(state, s.spec()), state);
            case TerminateChild t -> Next.reply(t, terminateChild(state, t.pid()), state);
            case WhichChildren w -> Next.reply(w, whichChildren(state), state);
            case CountChildren c -> {
                int specs = state.children.size();
                yield Next.reply(
                        c,
                        new ChildCounts(specs, specs - state.restarting, state.supervisors, specs - state.supervisors),
                        state);
            }
        };
    }

    private static DynamicSupervisor.StartChildResult startChild(State state, ChildSpec spec) {
        if (state.children.size() >= state.flags.maxChildren()) {
            return new DynamicSupervisor.MaxChildren();
        }
        StartResult result = ChildStarter.start(spec, state.flags.extraArguments());
        return switch (result) {
            case StartResult.Ok ok -> {
                state.put(ok.pid(), new Entry(spec, false, 0, null));
                SupervisorReports.progress(state.name, spec.id(), ok.pid());
                yield new DynamicSupervisor.Started(ok.pid());
            }
            case StartResult.Ignore i -> new DynamicSupervisor.Ignored();
            case StartResult.Failed f -> new DynamicSupervisor.Failed(f.reason());
            case StartResult.AlreadyStarted a -> new DynamicSupervisor.Failed(ChildStarter.failure(a));
        };
    }

    private static DynamicSupervisor.TerminateChildResult terminateChild(State state, Pid pid) {
        Entry e = state.children.get(pid);
        if (e == null) {
            return new DynamicSupervisor.NotFound();
        }
        if (!e.restarting()) {
            ChildShutdown.stopAll(List.of(new ChildShutdown.Stopping(pid, e.spec())), reporter(state));
        }
        state.remove(pid);
        return new DynamicSupervisor.Terminated();
    }

    private static List<ChildInfo> whichChildren(State state) {
        List<ChildInfo> infos = new ArrayList<>(state.children.size());
        for (Map.Entry<Pid, Entry> c : state.children.entrySet()) {
            Entry e = c.getValue();
            infos.add(new ChildInfo(
                    e.spec().id(),
                    e.restarting() ? Optional.empty() : Optional.of(c.getKey()),
                    e.restarting(),
                    e.spec().type(),
                    e.spec().restart(),
                    e.restarts(),
                    Optional.ofNullable(e.lastExit())));
        }
        return List.copyOf(infos);
    }

    // ---- exits and restarts -------------------------------------------------------------

    @Override
    public Next<State> handleInfo(Object message, State state) {
        return switch (message) {
            case Exit x -> {
                Entry e = state.children.get(x.from());
                yield e == null || e.restarting() ? Next.noreply(state) : childExited(state, x.from(), e, x.reason());
            }
            case TryAgain t -> {
                Entry e = state.children.get(t.pid());
                yield e != null && e.restarting() ? restart(state, t.pid(), e) : Next.noreply(state);
            }
            default -> {
                SupervisorReports.unexpected(state.name, message);
                yield Next.noreply(state);
            }
        };
    }

    /// Elixir's maybe_restart_child/5.
    private static Next<State> childExited(State state, Pid pid, Entry e, ExitReason reason) {
        ChildSpec spec = e.spec();
        Entry exited = new Entry(spec, false, e.restarts(), reason);
        if (spec.restart() == ChildSpec.Restart.PERMANENT) {
            SupervisorReports.childTerminated(state.name, spec.id(), pid, reason);
            return restart(state, pid, exited);
        }
        if (reason.isClean()) {
            state.remove(pid);
            return Next.noreply(state);
        }
        SupervisorReports.childTerminated(state.name, spec.id(), pid, reason);
        if (spec.restart() == ChildSpec.Restart.TRANSIENT) {
            return restart(state, pid, exited);
        }
        state.remove(pid);
        return Next.noreply(state);
    }

    /// Elixir's restart_child/3: count the restart, start the child again with the same spec and
    /// extra arguments; on failure keep it as restarting under `pid` and retry later.
    private static Next<State> restart(State state, Pid pid, Entry e) {
        ChildSpec spec = e.spec();
        if (!state.intensity.add(Kernel.clock().nanoTime())) {
            SupervisorReports.intensityReached(state.name, spec.id());
            RuntimeEvents.intensityExceeded(state.view, spec.id());
            state.remove(pid);
            return Next.stop(ExitReason.SHUTDOWN, state);
        }
        state.view.budget(state.intensity);
        StartResult result = ChildStarter.start(spec, state.flags.extraArguments());
        switch (result) {
            case StartResult.Ok ok -> {
                state.remove(pid);
                state.put(ok.pid(), new Entry(spec, false, e.restarts() + 1, e.lastExit()));
                SupervisorReports.progress(state.name, spec.id(), ok.pid());
                RuntimeEvents.restarted(state.view, spec.id(), pid, ok.pid(), e.restarts() + 1, e.lastExit());
            }
            case StartResult.Ignore i -> state.remove(pid);
            case StartResult.Failed f -> retryLater(state, pid, e, f.reason());
            case StartResult.AlreadyStarted a -> retryLater(state, pid, e, ChildStarter.failure(a));
        }
        return Next.noreply(state);
    }

    private static void retryLater(State state, Pid pid, Entry e, ExitReason reason) {
        SupervisorReports.startError(state.name, e.spec().id(), reason);
        state.put(pid, new Entry(e.spec(), true, e.restarts(), e.lastExit()));
        Kernel.send(Kernel.self(), new TryAgain(pid));
    }

    // ---- stopping -----------------------------------------------------------------------

    @Override
    public void terminate(ExitReason reason, State state) {
        List<ChildShutdown.Stopping> running = new ArrayList<>(state.children.size());
        for (Map.Entry<Pid, Entry> c : state.children.entrySet()) {
            if (!c.getValue().restarting()) {
                running.add(new ChildShutdown.Stopping(c.getKey(), c.getValue().spec()));
            }
        }
        ChildShutdown.stopAll(running, reporter(state));
    }

    private static ChildShutdown.Reporter reporter(State state) {
        return (pid, spec, reason) -> SupervisorReports.shutdownError(state.name, spec.id(), pid, reason);
    }

    @Override
    public String describe(State state) {
        return state.toString();
    }
}
