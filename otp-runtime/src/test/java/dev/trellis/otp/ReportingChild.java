package dev.trellis.otp;

import java.util.Objects;

/// A supervised child for the supervisor tests: it tells an observer process when it starts and,
/// if it traps exits, when its terminate runs; how it reacts to a shutdown depends on its [Mode].
final class ReportingChild implements GenServer<ReportingChild.Msg, Integer> {
    /// Sent to the observer from init.
    record Started(Object id, Pid pid) {}

    /// Sent to the observer from terminate (trapping modes only).
    record Stopping(Object id, Pid pid, ExitReason reason) {}

    /// Lets a [Mode#SLOW] child finish its terminate.
    record Go() {}

    /// Lets a [Mode#SLOW] child finish its terminate by exiting with `reason` instead.
    record GoAndExit(ExitReason reason) {}

    enum Mode {
        /// Does not trap exits: a shutdown signal kills it at once, without terminate.
        PLAIN,
        /// Traps exits: terminate reports [Stopping], then it exits with the shutdown reason.
        TRAPPING,
        /// Traps exits: terminate reports [Stopping], then waits until killed.
        STUBBORN,
        /// Traps exits: terminate reports [Stopping], then waits for [Go] or [GoAndExit].
        SLOW
    }

    sealed interface Msg {}

    /// Stop with `reason` (a cast).
    record StopWith(ExitReason reason) implements Msg {}

    record Ping() implements Msg, Call<String> {}

    private final Object id;
    private final Pid observer;
    private final Mode mode;

    ReportingChild(Object id, Pid observer, Mode mode) {
        this.id = Objects.requireNonNull(id);
        this.observer = observer;
        this.mode = mode;
    }

    /// A permanent worker spec of a [Mode#PLAIN] child reporting to the calling process.
    static ChildSpec spec(Object id) {
        return spec(id, Mode.PLAIN);
    }

    /// A permanent worker spec of a child in `mode` reporting to the calling process.
    static ChildSpec spec(Object id, Mode mode) {
        Pid observer = Kernel.self();
        return ChildSpec.worker(id, () -> GenServer.startLink(new ReportingChild(id, observer, mode)));
    }

    /// Makes `child` stop itself with `reason`.
    static void stopWith(Pid child, ExitReason reason) {
        GenServer.cast(child, new StopWith(reason));
    }

    @Override
    public Init<Integer> init() {
        if (mode != Mode.PLAIN) {
            Kernel.trapExit(true);
        }
        Kernel.send(observer, new Started(id, Kernel.self()));
        return Init.ok(0);
    }

    @Override
    public Next<Integer> handle(Msg msg, Integer state) {
        return switch (msg) {
            case StopWith s -> Next.stop(s.reason(), state);
            case Ping p -> Next.reply(p, "pong", state);
        };
    }

    @Override
    public void terminate(ExitReason reason, Integer state) {
        if (mode == Mode.PLAIN) {
            return;
        }
        Kernel.send(observer, new Stopping(id, Kernel.self(), reason));
        switch (mode) {
            case STUBBORN -> Kernel.receive(Match.none());
            case SLOW -> {
                Object go = Kernel.receive(m -> m instanceof Go || m instanceof GoAndExit ? m : null);
                if (go instanceof GoAndExit g) {
                    throw new ExitException(g.reason());
                }
            }
            default -> {}
        }
    }
}
