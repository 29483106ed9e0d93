package dev.trellis.otp;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// The process that owns one running [Application]: it starts the top supervisor linked to
/// itself, stops it on request, and reports its death.
final class ApplicationMaster implements GenServer<ApplicationMaster.Msg, ApplicationMaster.State> {
    /*
     * Mirrors application_master.erl (one process instead of master + child: the top supervisor
     * is started in init and linked to the master) and the reporting of
     * application_controller.erl for temporary applications.
     *
     * Invariants:
     *   - the master is registered in NAMES under the application name from before its init runs
     *     until it has exited (released by an exit hook), which makes start atomic per name;
     *   - RUNNING holds the application from the end of a successful init until the master exits
     *     (exit hook, before its monitors fire), so after Application.stop returns the
     *     application is no longer listed;
     *   - the master traps exits and is the parent of the top supervisor, so its exit signal
     *     `shutdown` makes the supervisor stop its tree in order; the master also monitors it, so
     *     a top process that unlinks is still noticed;
     *   - subscribers are told once per stop, before the master exits.
     */
    static final Logger LOG = LoggerFactory.getLogger(Application.class);

    /// Application name -> master.
    static final NameTable NAMES = new NameTable();

    /// Application name -> what whichApplications reports.
    static final ConcurrentHashMap<String, Application.Info> RUNNING = new ConcurrentHashMap<>();

    static final Set<Pid> SUBSCRIBERS = ConcurrentHashMap.newKeySet();

    sealed interface Msg {}

    record Stop() implements Msg, Call<Boolean> {}

    record WhichSupervisor() implements Msg, Call<Pid> {}

    static final class State {
        @Nullable
        Pid supervisor;

        @Nullable
        Ref monitor;
    }

    private final String name;
    private final Supplier<StartResult> start;
    /// Set by init before the start is acknowledged; read by the starter after it.
    private volatile @Nullable Pid topSupervisor;

    ApplicationMaster(String name, Supplier<StartResult> start) {
        this.name = name;
        this.start = start;
    }

    @Nullable
    Pid topSupervisor() {
        return topSupervisor;
    }

    @Override
    public Init<State> init() {
        Kernel.trapExit(true);
        StartResult result;
        try {
            result = start.get();
        } catch (ExitException e) {
            result = new StartResult.Failed(e.reason());
        } catch (RuntimeException e) {
            result = new StartResult.Failed(ExitReason.crash(e));
        }
        if (!(result instanceof StartResult.Ok ok)) {
            ExitReason failure =
                    result instanceof StartResult.Ignore ? ExitReason.other("ignore") : ChildStarter.failure(result);
            LOG.error("application {} failed to start: {}", name, failure);
            return Init.stop(failure);
        }
        Pid sup = ok.pid();
        Kernel.link(sup);
        State state = new State();
        state.supervisor = sup;
        state.monitor = Kernel.monitor(sup);
        Application.Info info = new Application.Info(name, sup);
        RUNNING.put(name, info);
        Kernel.current().onExit(() -> RUNNING.remove(name, info));
        topSupervisor = sup;
        LOG.info("application {} started: top supervisor {}", name, sup);
        return Init.ok(state);
    }

    @Override
    public Next<State> handle(Msg msg, State state) {
        return switch (msg) {
            case Stop s -> {
                stopTree(state);
                LOG.info("application {} exited: {}", name, Application.STOPPED);
                notifySubscribers(Application.STOPPED);
                yield Next.stop(ExitReason.NORMAL, s, Boolean.TRUE, state);
            }
            case WhichSupervisor w -> {
                Pid sup = state.supervisor;
                yield sup != null ? Next.reply(w, sup, state) : Next.noreply(state);
            }
        };
    }

    @Override
    public Next<State> handleInfo(Object message, State state) {
        Pid sup = state.supervisor;
        ExitReason died = null;
        if (message instanceof Exit e && e.from().equals(sup)) {
            died = e.reason();
        } else if (message instanceof Down d && d.ref() == state.monitor) {
            died = d.reason();
        }
        if (died == null) {
            return Next.noreply(state); // a stale Exit or Down
        }
        state.supervisor = null;
        LOG.error("application {} exited: {}", name, died);
        notifySubscribers(died);
        return Next.stop(ExitReason.NORMAL, state);
    }

    @Override
    public void terminate(ExitReason reason, State state) {
        if (state.supervisor != null) { // the master itself is being stopped: take the tree down
            stopTree(state);
        }
    }

    /// Stops the top supervisor (which stops its tree in order) and waits until it is gone.
    private static void stopTree(State state) {
        Pid sup = state.supervisor;
        Ref mon = state.monitor;
        if (sup == null || mon == null) {
            return;
        }
        Kernel.exit(sup, ExitReason.SHUTDOWN);
        Kernel.receive(m -> m instanceof Down d && d.ref() == mon ? d : null);
        Kernel.unlink(sup);
        Kernel.receive(m -> m instanceof Exit e && e.from().equals(sup) ? e : null, Duration.ZERO);
        state.supervisor = null;
        state.monitor = null;
    }

    private void notifySubscribers(ExitReason reason) {
        ApplicationStopped stopped = new ApplicationStopped(name, reason);
        for (Pid p : SUBSCRIBERS) {
            Kernel.send(p, stopped);
        }
    }

    /// The registry of application names (a [ViaRegistry] over a concurrent map).
    static final class NameTable implements ViaRegistry {
        private final ConcurrentHashMap<Object, Pid> table = new ConcurrentHashMap<>();

        @Override
        public boolean registerName(Object key, Pid pid) {
            if (table.putIfAbsent(key, pid) != null) {
                return false;
            }
            if (!pid.proc.onExit(() -> table.remove(key, pid))) {
                table.remove(key, pid);
                return false;
            }
            return true;
        }

        @Override
        public Optional<Pid> whereisName(Object key) {
            return Optional.ofNullable(table.get(key));
        }

        @Override
        public String toString() {
            return "applications";
        }
    }
}
