package dev.trellis.otp.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.otp.ChildCounts;
import dev.trellis.otp.ChildInfo;
import dev.trellis.otp.ChildSpec;
import dev.trellis.otp.Down;
import dev.trellis.otp.ExitException;
import dev.trellis.otp.ExitReason;
import dev.trellis.otp.Kernel;
import dev.trellis.otp.ManualClock;
import dev.trellis.otp.Match;
import dev.trellis.otp.Pid;
import dev.trellis.otp.Ref;
import dev.trellis.otp.StartResult;
import dev.trellis.otp.Supervisor;
import dev.trellis.otp.SupervisorFlags;
import dev.trellis.otp.SupervisorFlags.Strategy;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/// A [Supervisor] against a model of supervisor.erl, on a manual clock: for a random strategy,
/// restart intensity and set of children (permanent, transient, temporary), the model predicts
/// after every exit, terminate, restart and delete which children run, which of them got a new
/// pid, each child's restart count, the counts, and the supervisor's own death (with reason
/// `shutdown`, all children gone) once restarts exceed the intensity within the period.
///
/// Pids are compared as numbers given in start order: the model numbers each (re)start in
/// spec order, the test numbers each pid the first time it sees it, and they agree when the
/// supervisor restarted exactly the predicted children in order.
///
/// It lives in the testkit's tests because otp-runtime's tests cannot use [ModelCheck]: the
/// testkit depends on the runtime.
@OtpTest
class SupervisorModelTest {

    enum How {
        NORMAL,
        SHUTDOWN,
        CRASH,
        KILL
    }

    sealed interface Cmd {}

    /// Child `id` exits as `how` says (by itself, or killed from outside for KILL).
    record ExitChild(int id, How how) implements Cmd {}

    record Which() implements Cmd {}

    record Count() implements Cmd {}

    record Terminate(int id) implements Cmd {}

    record Restart(int id) implements Cmd {}

    record Delete(int id) implements Cmd {}

    record Advance(int seconds) implements Cmd {}

    /// A child as observed: its id, the number of its pid (null if not running), its restarts.
    record Seen(int id, @Nullable Integer pid, int restarts) {}

    record SupervisorDown(ExitReason reason, int childrenAlive) {}

    /// The model of one child.
    static final class Kid {
        final int id;
        final ChildSpec.Restart restart;

        @Nullable
        Integer pid;

        int restarts;

        Kid(int id, ChildSpec.Restart restart) {
            this.id = id;
            this.restart = restart;
        }
    }

    static final class Model {
        final Strategy strategy;
        final int intensity;
        final long period;
        final List<Kid> kids = new ArrayList<>();
        final ArrayDeque<Long> restarts = new ArrayDeque<>();
        final int specs;
        int nextPid;
        long now;
        boolean dead;

        Model(SplittableRandom random) {
            strategy = Strategy.values()[random.nextInt(3)];
            intensity = random.nextInt(4);
            period = Duration.ofSeconds(random.nextInt(1, 6)).toNanos();
            specs = random.nextInt(1, 5);
            ChildSpec.Restart[] types = ChildSpec.Restart.values();
            for (int i = 0; i < specs; i++) {
                Kid k = new Kid(i, types[random.nextInt(types.length)]);
                k.pid = nextPid++;
                kids.add(k);
            }
        }

        @Nullable
        Kid kid(int id) {
            for (Kid k : kids) {
                if (k.id == id) {
                    return k;
                }
            }
            return null;
        }

        Object observed() {
            if (dead) {
                return new SupervisorDown(ExitReason.SHUTDOWN, 0);
            }
            return kids.stream().map(k -> new Seen(k.id, k.pid, k.restarts)).toList();
        }

        /// supervisor.erl's do_restart/3 and restart/2 for child `k`, which exited with `how`.
        void exited(Kid k, How how) {
            k.pid = null;
            boolean clean = how == How.NORMAL || how == How.SHUTDOWN;
            if (k.restart == ChildSpec.Restart.TEMPORARY || (k.restart == ChildSpec.Restart.TRANSIENT && clean)) {
                if (k.restart == ChildSpec.Restart.TEMPORARY) {
                    kids.remove(k);
                }
                return;
            }
            restarts.addLast(now);
            while (restarts.getFirst() < now - period) {
                restarts.removeFirst();
            }
            if (restarts.size() > intensity) {
                dead = true;
                kids.clear();
                return;
            }
            List<Kid> group = switch (strategy) {
                case ONE_FOR_ONE -> List.of(k);
                case ONE_FOR_ALL -> List.copyOf(kids);
                case REST_FOR_ONE -> List.copyOf(kids.subList(kids.indexOf(k), kids.size()));
            };
            for (Kid g : group) { // terminated in reverse order; temporary ones are forgotten
                g.pid = null;
                if (g.restart == ChildSpec.Restart.TEMPORARY) {
                    kids.remove(g);
                }
            }
            for (Kid g : group) {
                if (kids.contains(g)) {
                    g.pid = nextPid++;
                    g.restarts++;
                }
            }
        }
    }

    /// The real supervisor, the monitor on it, the numbers given to the pids seen so far, and
    /// how it ended once its Down arrived.
    static final class Sup {
        final Pid pid;
        final Ref ref;
        final Map<Pid, Integer> numbers = new HashMap<>();

        @Nullable
        SupervisorDown down;

        Sup(Pid pid) {
            this.pid = pid;
            this.ref = Kernel.monitor(pid);
        }

        int number(Pid p) {
            return numbers.computeIfAbsent(p, x -> numbers.size());
        }
    }

    record SupervisorMachine(ManualClock clock) implements StateMachine<Model, Sup, Cmd> {
        @Override
        public Model model(SplittableRandom random) {
            return new Model(random);
        }

        @Override
        public Sup start(Model model) {
            List<ChildSpec> specs = new ArrayList<>();
            for (Kid k : model.kids) {
                specs.add(ChildSpec.worker(k.id, () -> new StartResult.Ok(Kernel.spawnLink(SupervisorMachine::child)))
                        .restart(k.restart));
            }
            SupervisorFlags flags = SupervisorFlags.oneForOne()
                    .strategy(model.strategy)
                    .intensity(model.intensity)
                    .period(Duration.ofNanos(model.period));
            Pid pid = Supervisor.start(specs, flags).orThrow();
            Sup sup = new Sup(pid);
            observe(sup);
            return sup;
        }

        /// A child: exits with the reason it is sent.
        private static void child() {
            throw new ExitException(Kernel.receive(Match.type(ExitReason.class)));
        }

        @Override
        public void stop(Sup sup) {
            if (Kernel.isAlive(sup.pid)) {
                Supervisor.stop(sup.pid);
            }
            Kernel.demonitor(sup.ref, true);
        }

        @Override
        public Cmd command(Model model, SplittableRandom random) {
            int roll = random.nextInt(100);
            int id = random.nextInt(model.specs);
            Kid k = model.kid(id);
            if (roll < 45 && k != null && k.pid != null) {
                return new ExitChild(id, How.values()[random.nextInt(How.values().length)]);
            } else if (roll < 55) {
                return new Terminate(id);
            } else if (roll < 65) {
                return new Restart(id);
            } else if (roll < 70) {
                return new Delete(id);
            } else if (roll < 80) {
                return new Count();
            } else if (roll < 90) {
                return new Advance(random.nextInt(1, 4));
            }
            return new Which();
        }

        @Override
        public boolean precondition(Model model, Cmd command) {
            if (command instanceof ExitChild e) {
                Kid k = model.kid(e.id());
                return !model.dead && k != null && k.pid != null;
            }
            return true;
        }

        @Override
        public Object expect(Model model, Cmd command) {
            if (model.dead && !(command instanceof Advance)) {
                return model.observed();
            }
            return switch (command) {
                case ExitChild e -> {
                    model.exited(Objects.requireNonNull(model.kid(e.id())), e.how());
                    yield model.observed();
                }
                case Which w -> model.observed();
                case Count c -> {
                    int active =
                            (int) model.kids.stream().filter(k -> k.pid != null).count();
                    yield new ChildCounts(model.kids.size(), active, 0, model.kids.size());
                }
                case Terminate t -> {
                    Kid k = model.kid(t.id());
                    if (k == null) {
                        yield "not_found";
                    }
                    k.pid = null;
                    if (k.restart == ChildSpec.Restart.TEMPORARY) {
                        model.kids.remove(k);
                    }
                    yield model.observed();
                }
                case Restart r -> {
                    Kid k = model.kid(r.id());
                    if (k == null) {
                        yield "not_found";
                    }
                    if (k.pid != null) {
                        yield "running";
                    }
                    k.pid = model.nextPid++; // restart_child starts it; not counted as a restart
                    yield model.observed();
                }
                case Delete d -> {
                    Kid k = model.kid(d.id());
                    if (k == null) {
                        yield "not_found";
                    }
                    if (k.pid != null) {
                        yield "running";
                    }
                    model.kids.remove(k);
                    yield model.observed();
                }
                case Advance a -> {
                    model.now += Duration.ofSeconds(a.seconds()).toNanos();
                    yield "advanced";
                }
            };
        }

        @Override
        public Object run(Sup sup, Cmd command) {
            if (command instanceof Advance a) {
                clock.advance(Duration.ofSeconds(a.seconds()));
                return "advanced";
            }
            try {
                return switch (command) {
                    case ExitChild e -> {
                        Pid child = pidOf(sup, e.id());
                        Ref ref = Kernel.monitor(child);
                        switch (e.how()) {
                            case NORMAL -> Kernel.send(child, ExitReason.NORMAL);
                            case SHUTDOWN -> Kernel.send(child, ExitReason.SHUTDOWN);
                            case CRASH -> Kernel.send(child, ExitReason.other("boom"));
                            case KILL -> Kernel.exit(child, ExitReason.KILL);
                        }
                        Kernel.receive(m -> m instanceof Down d && d.ref() == ref ? d : null);
                        // The supervisor had the child's exit signal before we had its Down.
                        yield observe(sup);
                    }
                    case Which w -> observe(sup);
                    case Count c -> Supervisor.countChildren(sup.pid);
                    case Terminate t ->
                        Supervisor.terminateChild(sup.pid, t.id()) instanceof Supervisor.NotFound
                                ? "not_found"
                                : observe(sup);
                    case Restart r ->
                        switch (Supervisor.restartChild(sup.pid, r.id())) {
                            case Supervisor.NotFound n -> "not_found";
                            case Supervisor.Running n -> "running";
                            default -> observe(sup);
                        };
                    case Delete d ->
                        switch (Supervisor.deleteChild(sup.pid, d.id())) {
                            case Supervisor.NotFound n -> "not_found";
                            case Supervisor.Running n -> "running";
                            default -> observe(sup);
                        };
                    case Advance a -> throw new AssertionError("handled above");
                };
            } catch (ExitException supervisorGone) {
                return down(sup);
            }
        }

        private static Pid pidOf(Sup sup, int id) {
            for (ChildInfo c : Supervisor.whichChildren(sup.pid)) {
                if (c.id().equals(id)) {
                    return c.pid().orElseThrow();
                }
            }
            throw new AssertionError("no child " + id);
        }

        private static Object observe(Sup sup) {
            try {
                List<ChildInfo> children = Supervisor.whichChildren(sup.pid);
                return children.stream()
                        .map(c -> new Seen(
                                (Integer) c.id(), c.pid().map(sup::number).orElse(null), c.restarts()))
                        .toList();
            } catch (ExitException supervisorGone) {
                return down(sup);
            }
        }

        /// The supervisor's exit reason and how many children it left alive.
        private static SupervisorDown down(Sup sup) {
            SupervisorDown known = sup.down;
            if (known != null) {
                return known;
            }
            Down d = OtpAssertions.assertReceive(m -> m instanceof Down x && x.ref() == sup.ref ? x : null);
            int alive =
                    (int) sup.numbers.keySet().stream().filter(Kernel::isAlive).count();
            sup.down = new SupervisorDown(d.reason(), alive);
            return sup.down;
        }

        @Override
        public List<Cmd> shrink(Cmd command) {
            return switch (command) {
                case ExitChild e when e.how() != How.KILL -> List.of(new ExitChild(e.id(), How.KILL));
                case Advance a when a.seconds() > 1 -> List.of(new Advance(1));
                default -> List.of();
            };
        }
    }

    @Test
    void aSupervisorAgreesWithTheModelOfSupervisorErl(ManualClock clock) {
        ModelCheck.of(new SupervisorMachine(clock)).seeds(200).length(100).check();
    }

    @Test
    void theModelPredictsTheSupervisorsDeathFromRestartIntensity(ManualClock clock) {
        SupervisorMachine m = new SupervisorMachine(clock);
        // Find a configuration with one permanent child and intensity 1: two quick crashes end it.
        Model model = null;
        long seed = 0;
        for (; model == null; seed++) {
            Model candidate = m.model(new SplittableRandom(seed).split());
            if (candidate.intensity == 1 && candidate.kids.getFirst().restart == ChildSpec.Restart.PERMANENT) {
                model = candidate;
            }
        }
        Sup sup = m.start(model);
        try {
            Cmd crash = new ExitChild(0, How.CRASH);
            assertThat(m.run(sup, crash)).isEqualTo(m.expect(model, crash));
            Cmd kill = new ExitChild(0, How.KILL);
            assertThat(m.expect(model, kill)).isEqualTo(new SupervisorDown(ExitReason.SHUTDOWN, 0));
            assertThat(m.run(sup, kill)).isEqualTo(new SupervisorDown(ExitReason.SHUTDOWN, 0));
        } finally {
            m.stop(sup);
        }
    }
}
