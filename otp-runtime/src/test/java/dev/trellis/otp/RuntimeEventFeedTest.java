package dev.trellis.otp;

import static dev.trellis.otp.Supervision.exitAndWait;
import static dev.trellis.otp.Supervision.started;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.trellis.otp.observe.ObserverBackend;
import dev.trellis.otp.observe.RuntimeEvent;
import dev.trellis.otp.observe.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/// The event feed ([ObserverBackend#subscribe]): crashes, restarts and intensity exceeded, as
/// they happen, to listeners on any thread.
@ExtendWith(SupervisionLeakCheck.class)
class RuntimeEventFeedTest {
    static final ExitReason CRASH = ExitReason.other("boom");

    private final BlockingQueue<RuntimeEvent> events = new LinkedBlockingQueue<>();
    private Subscription subscription = () -> {};

    @BeforeEach
    void subscribe() {
        subscription = ObserverBackend.subscribe(events::add);
    }

    @AfterEach
    void unsubscribe() {
        subscription.close();
    }

    /// The next event `match` accepts (others, from other processes, are skipped).
    private <E extends RuntimeEvent> E next(Class<E> type, Predicate<E> match) {
        for (; ; ) {
            RuntimeEvent e;
            try {
                e = events.poll(5, TimeUnit.SECONDS);
            } catch (InterruptedException ie) {
                throw new AssertionError(ie);
            }
            if (e == null) {
                throw new AssertionError("no " + type.getSimpleName() + " event in 5 s");
            }
            if (type.isInstance(e) && match.test(type.cast(e))) {
                return type.cast(e);
            }
        }
    }

    @Test
    void aCrashIsPublishedWithThePidNameLabelAndReason() {
        InProcess.run(() -> {
            Spawned s = Kernel.spawn(
                    () -> {
                        Kernel.register("feed_crasher", Kernel.self());
                        throw new IllegalStateException("feed test");
                    },
                    SpawnOptions.defaults().monitor().label("crasher"));
            Supervision.awaitDown(java.util.Objects.requireNonNull(s.monitor()));
            RuntimeEvent.ProcessCrashed e =
                    next(RuntimeEvent.ProcessCrashed.class, c -> c.pid().equals(s.pid()));
            assertThat(e.name()).isEqualTo("feed_crasher");
            assertThat(e.label()).isEqualTo("crasher");
            assertThat(e.reason())
                    .isInstanceOfSatisfying(
                            ExitReason.Crash.class,
                            c -> assertThat(c.exception()).hasMessage("feed test"));
        });
    }

    @Test
    void cleanExitsAreNotCrashes() {
        InProcess.run(() -> {
            Pid normal = Kernel.spawn(() -> {});
            Pid shutdown = Kernel.spawn(() -> Kernel.exit(ExitReason.SHUTDOWN));
            Pid killed = Kernel.spawn(() -> Kernel.receive(Match.none()));
            Supervision.awaitExit(normal);
            Supervision.awaitExit(shutdown);
            exitAndWait(killed, ExitReason.KILL);
            RuntimeEvent.ProcessCrashed e =
                    next(RuntimeEvent.ProcessCrashed.class, c -> c.pid().equals(killed));
            assertThat(e.reason()).isEqualTo(ExitReason.KILLED);
            assertThat(ObserverBackend.recentEvents())
                    .noneMatch(r -> r instanceof RuntimeEvent.ProcessCrashed c
                            && (c.pid().equals(normal) || c.pid().equals(shutdown)));
        });
    }

    @Test
    void aRestartIsPublishedWithTheOldAndTheNewPid() {
        InProcess.run(() -> {
            Pid sup = Supervisor.start(
                            List.of(ReportingChild.spec("c")),
                            SupervisorFlags.oneForOne(),
                            StartOptions.defaults().name("feed_sup"))
                    .orThrow();
            Pid old = started("c").pid();
            exitAndWait(old, CRASH);
            Pid restarted = started("c").pid();
            RuntimeEvent.ChildRestarted e =
                    next(RuntimeEvent.ChildRestarted.class, r -> r.supervisor().equals(sup));
            assertThat(e.supervisorPath()).isEqualTo("feed_sup");
            assertThat(e.childId()).isEqualTo("c");
            assertThat(e.oldPid()).isEqualTo(old);
            assertThat(e.newPid()).isEqualTo(restarted);
            assertThat(e.restarts()).isEqualTo(1);
            assertThat(e.reason()).isEqualTo(CRASH);
            Supervisor.stop(sup);
        });
    }

    @Test
    void oneForAllPublishesARestartForEveryChildItRestarts() {
        InProcess.run(() -> {
            Pid sup = Supervisor.start(
                            List.of(ReportingChild.spec("first"), ReportingChild.spec("second")),
                            SupervisorFlags.oneForAll())
                    .orThrow();
            Pid first = started("first").pid();
            Pid second = started("second").pid();
            exitAndWait(second, CRASH);
            Pid first2 = started("first").pid();
            Pid second2 = started("second").pid();
            RuntimeEvent.ChildRestarted a =
                    next(RuntimeEvent.ChildRestarted.class, r -> r.supervisor().equals(sup));
            RuntimeEvent.ChildRestarted b =
                    next(RuntimeEvent.ChildRestarted.class, r -> r.supervisor().equals(sup));
            assertThat(List.of(a.childId(), a.oldPid(), a.newPid(), a.reason()))
                    .containsExactly("first", first, first2, ExitReason.SHUTDOWN);
            assertThat(List.of(b.childId(), b.oldPid(), b.newPid(), b.reason()))
                    .containsExactly("second", second, second2, CRASH);
            assertThat(b.sequence()).isGreaterThan(a.sequence());
            Supervisor.stop(sup);
        });
    }

    @Test
    void exceedingTheIntensityIsPublished() {
        InProcess.run(() -> {
            Pid sup = DynamicSupervisor.start(DynamicSupervisorFlags.defaults().maxRestarts(0))
                    .orThrow();
            Pid child =
                    DynamicSupervisor.startChild(sup, ReportingChild.spec("w")).orThrow();
            Ref ref = Kernel.monitor(sup);
            exitAndWait(child, CRASH);
            assertThat(Supervision.awaitDown(ref)).isEqualTo(ExitReason.SHUTDOWN);
            RuntimeEvent.IntensityExceeded e = next(
                    RuntimeEvent.IntensityExceeded.class, r -> r.supervisor().equals(sup));
            assertThat(e.childId()).isEqualTo("w");
            assertThat(e.maxRestarts()).isZero();
            assertThat(e.period()).isEqualTo(Duration.ofSeconds(5));
        });
    }

    @Test
    void withoutSubscribersOnlyTheCountersMove() {
        subscription.close();
        InProcess.run(() -> {
            long restarts = ObserverBackend.supervisionCounts().restarts();
            long exceeded = ObserverBackend.supervisionCounts().intensityExceeded();
            Pid sup = Supervisor.start(
                            List.of(ReportingChild.spec("c")),
                            SupervisorFlags.oneForOne().intensity(1))
                    .orThrow();
            Ref ref = Kernel.monitor(sup);
            exitAndWait(started("c").pid(), CRASH);
            exitAndWait(started("c").pid(), CRASH);
            Supervision.awaitDown(ref);
            assertThat(ObserverBackend.supervisionCounts().restarts()).isEqualTo(restarts + 1);
            assertThat(ObserverBackend.supervisionCounts().intensityExceeded()).isEqualTo(exceeded + 1);
            assertThat(ObserverBackend.recentEvents())
                    .noneMatch(e -> e instanceof RuntimeEvent.ChildRestarted r
                            && r.supervisor().equals(sup));
        });
        assertThat(events).isEmpty();
    }

    @Test
    void recentEventsAreKeptInOrderWhileSomeoneListens() {
        InProcess.run(() -> {
            Pid a = Kernel.spawn(() -> Kernel.exit(CRASH));
            Supervision.awaitExit(a);
            Pid b = Kernel.spawn(() -> Kernel.exit(CRASH));
            Supervision.awaitExit(b);
            List<Pid> crashed = ObserverBackend.recentEvents().stream()
                    .filter(e -> e instanceof RuntimeEvent.ProcessCrashed)
                    .map(e -> ((RuntimeEvent.ProcessCrashed) e).pid())
                    .filter(p -> p.equals(a) || p.equals(b))
                    .toList();
            assertThat(crashed).containsExactly(a, b);
            List<RuntimeEvent> all = ObserverBackend.recentEvents();
            for (int i = 1; i < all.size(); i++) {
                assertThat(all.get(i).sequence()).isGreaterThan(all.get(i - 1).sequence());
            }
        });
    }

    @Test
    void aListenerThatThrowsIsLoggedAndTheOthersStillReceive() throws InterruptedException {
        BlockingQueue<RuntimeEvent> after = new LinkedBlockingQueue<>(); // called after the failing one
        try (LogCapture log = LogCapture.start();
                Subscription failing = ObserverBackend.subscribe(e -> {
                    throw new IllegalStateException("listener bug");
                });
                Subscription later = ObserverBackend.subscribe(after::add)) {
            Pid[] crashed = new Pid[1];
            InProcess.run(() -> {
                crashed[0] = Kernel.spawn(() -> Kernel.exit(CRASH));
                Supervision.awaitExit(crashed[0]);
            });
            for (RuntimeEvent e = after.poll(5, TimeUnit.SECONDS); ; e = after.poll(5, TimeUnit.SECONDS)) {
                assertThat(e).isNotNull();
                if (e instanceof RuntimeEvent.ProcessCrashed c && c.pid().equals(crashed[0])) {
                    break;
                }
            }
            assertThat(log.at(Level.WARN))
                    .anySatisfy(
                            e -> assertThat(e.getThrowableProxy().getMessage()).isEqualTo("listener bug"));
        }
    }

    @Test
    void aClosedSubscriptionReceivesNothingMore() {
        BlockingQueue<RuntimeEvent> mine = new LinkedBlockingQueue<>();
        Subscription s = ObserverBackend.subscribe(mine::add);
        s.close();
        s.close();
        InProcess.run(() -> {
            Pid p = Kernel.spawn(() -> Kernel.exit(CRASH));
            Supervision.awaitExit(p);
            next(RuntimeEvent.ProcessCrashed.class, c -> c.pid().equals(p)); // published to the others
        });
        assertThat(mine).isEmpty();
    }
}
