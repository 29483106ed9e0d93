package dev.trellis.otp;

import static dev.trellis.otp.Supervision.awaitDown;
import static dev.trellis.otp.Supervision.expect;
import static dev.trellis.otp.Supervision.refuteQueued;
import static dev.trellis.otp.Supervision.started;
import static dev.trellis.otp.Supervision.stopping;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/// supervisor_SUITE: start order, stop order, shutdown kinds, failed starts.
@ExtendWith(SupervisionLeakCheck.class)
class SupervisorShutdownTest {

    static final ExitReason CRASH = ExitReason.other("boom");

    @Test
    void childrenStartInOrderAndStopInReverseOrder() {
        InProcess.run(() -> {
            Pid sup = Supervisor.startLink(
                            List.of(
                                    ReportingChild.spec("a", ReportingChild.Mode.TRAPPING),
                                    ReportingChild.spec("b", ReportingChild.Mode.TRAPPING),
                                    ReportingChild.spec("c", ReportingChild.Mode.TRAPPING)),
                            SupervisorFlags.oneForOne())
                    .orThrow();
            List<Object> startOrder = List.of(
                    expect(Match.type(ReportingChild.Started.class)).id(),
                    expect(Match.type(ReportingChild.Started.class)).id(),
                    expect(Match.type(ReportingChild.Started.class)).id());
            assertThat(startOrder).containsExactly("a", "b", "c");
            Supervisor.stop(sup);
            List<ReportingChild.Stopping> stops = List.of(stopping(), stopping(), stopping());
            assertThat(stops).extracting(ReportingChild.Stopping::id).containsExactly("c", "b", "a");
            assertThat(stops).extracting(ReportingChild.Stopping::reason).containsOnly(ExitReason.SHUTDOWN);
        });
    }

    @Test
    void brutalKillKillsTheChildWithoutLettingItCleanUp() {
        InProcess.run(() -> {
            ChildSpec spec =
                    ReportingChild.spec("a", ReportingChild.Mode.TRAPPING).shutdown(ChildSpec.Shutdown.brutalKill());
            Pid sup = Supervisor.startLink(List.of(spec), SupervisorFlags.oneForOne())
                    .orThrow();
            Ref child = Kernel.monitor(started("a").pid());
            Supervisor.stop(sup);
            assertThat(awaitDown(child)).isEqualTo(ExitReason.KILLED);
            refuteQueued(Match.type(ReportingChild.Stopping.class));
        });
    }

    @Test
    void aChildThatStopsWithinItsTimeoutExitsWithShutdown() {
        InProcess.run(() -> {
            Pid sup = Supervisor.startLink(
                            List.of(ReportingChild.spec("a", ReportingChild.Mode.TRAPPING)),
                            SupervisorFlags.oneForOne())
                    .orThrow();
            Ref child = Kernel.monitor(started("a").pid());
            Supervisor.stop(sup);
            assertThat(stopping().reason()).isEqualTo(ExitReason.SHUTDOWN);
            assertThat(awaitDown(child)).isEqualTo(ExitReason.SHUTDOWN);
        });
    }

    @Test
    void aChildThatTrapsExitsAndIgnoresShutdownIsKilledAfterItsTimeout() {
        ManualClock clock = new ManualClock();
        InProcess.run(
                () -> {
                    Pid sup = Supervisor.start(
                                    List.of(ReportingChild.spec("a", ReportingChild.Mode.STUBBORN)),
                                    SupervisorFlags.oneForOne())
                            .orThrow();
                    Pid a = started("a").pid();
                    Ref child = Kernel.monitor(a);
                    Ref supRef = Kernel.monitor(sup);
                    Kernel.exit(sup, ExitReason.SHUTDOWN); // from its parent: stop
                    stopping();
                    // The supervisor now waits 5 s (the default worker shutdown) on its clock.
                    Awaitility.await().atMost(Supervision.WAIT).until(() -> clock.pendingTimers() == 1);
                    clock.advance(Duration.ofSeconds(4));
                    assertThat(Kernel.isAlive(a)).isTrue();
                    clock.advance(Duration.ofSeconds(1));
                    assertThat(awaitDown(child)).isEqualTo(ExitReason.KILLED);
                    assertThat(awaitDown(supRef)).isEqualTo(ExitReason.SHUTDOWN);
                },
                SpawnOptions.defaults().clock(clock).label("test"));
    }

    @Test
    void anInfiniteShutdownWaitsForTheChildHoweverLongItTakes() {
        ManualClock clock = new ManualClock();
        InProcess.run(
                () -> {
                    ChildSpec spec =
                            ReportingChild.spec("a", ReportingChild.Mode.SLOW).shutdown(ChildSpec.Shutdown.infinity());
                    Pid sup = Supervisor.start(List.of(spec), SupervisorFlags.oneForOne())
                            .orThrow();
                    Pid a = started("a").pid();
                    Ref child = Kernel.monitor(a);
                    Ref supRef = Kernel.monitor(sup);
                    Kernel.exit(sup, ExitReason.SHUTDOWN);
                    stopping();
                    Supervision.awaitWaiting(sup);
                    assertThat(clock.pendingTimers()).isZero();
                    clock.advance(Duration.ofHours(1));
                    assertThat(Kernel.isAlive(sup)).isTrue();
                    assertThat(Kernel.isAlive(a)).isTrue();
                    Kernel.send(a, new ReportingChild.Go());
                    assertThat(awaitDown(child)).isEqualTo(ExitReason.SHUTDOWN);
                    assertThat(awaitDown(supRef)).isEqualTo(ExitReason.SHUTDOWN);
                },
                SpawnOptions.defaults().clock(clock).label("test"));
    }

    @Test
    void aChildThatExitsOnItsOwnWhileTheSupervisorShutsDownIsNotRestarted() {
        InProcess.run(() -> {
            Pid sup = Supervisor.start(
                            List.of(ReportingChild.spec("a"), ReportingChild.spec("b", ReportingChild.Mode.SLOW)),
                            SupervisorFlags.oneForOne())
                    .orThrow();
            Pid a = started("a").pid();
            Pid b = started("b").pid();
            Ref supRef = Kernel.monitor(sup);
            Ref bRef = Kernel.monitor(b);
            Kernel.exit(sup, ExitReason.SHUTDOWN); // stops b first (reverse order); b waits for Go
            stopping();
            Supervision.exitAndWait(a, CRASH); // a exits on its own while the supervisor stops b
            Kernel.send(b, new ReportingChild.Go());
            assertThat(awaitDown(supRef)).isEqualTo(ExitReason.SHUTDOWN);
            assertThat(awaitDown(bRef)).isEqualTo(ExitReason.SHUTDOWN);
            refuteQueued(Match.type(ReportingChild.Started.class));
        });
    }

    @Test
    void aChildThatExitsWithAnotherReasonDuringItsShutdownIsReportedNotRestarted() {
        InProcess.run(() -> {
            Pid sup = Supervisor.start(
                            List.of(ReportingChild.spec("a", ReportingChild.Mode.SLOW), ReportingChild.spec("b")),
                            SupervisorFlags.oneForOne())
                    .orThrow();
            Pid a = started("a").pid();
            started("b");
            Ref aRef = Kernel.monitor(a);
            Ref supRef = Kernel.monitor(sup);
            Kernel.exit(sup, ExitReason.SHUTDOWN);
            stopping();
            Kernel.send(a, new ReportingChild.GoAndExit(ExitReason.shutdown("oops")));
            assertThat(awaitDown(aRef)).isEqualTo(ExitReason.shutdown("oops"));
            assertThat(awaitDown(supRef)).isEqualTo(ExitReason.SHUTDOWN);
            refuteQueued(Match.type(ReportingChild.Started.class));
        });
    }

    @Test
    void aFailedStartOfTheThirdChildStopsTheFirstTwoInReverseOrder() {
        InProcess.run(() -> {
            ChildSpec failing = ChildSpec.worker("c", () -> new StartResult.Failed(CRASH));
            StartResult result = Supervisor.start(
                    List.of(
                            ReportingChild.spec("a", ReportingChild.Mode.TRAPPING),
                            ReportingChild.spec("b", ReportingChild.Mode.TRAPPING),
                            failing,
                            ReportingChild.spec("d")),
                    SupervisorFlags.oneForOne());
            assertThat(result)
                    .isEqualTo(
                            new StartResult.Failed(ExitReason.shutdown(new Supervisor.FailedToStartChild("c", CRASH))));
            started("a");
            started("b");
            assertThat(stopping().id()).isEqualTo("b");
            assertThat(stopping().id()).isEqualTo("a");
            refuteQueued(Match.type(ReportingChild.Started.class));
        });
    }

    @Test
    void aStartFunctionThatThrowsFailsTheStartWithTheException() {
        InProcess.run(() -> {
            IllegalStateException thrown = new IllegalStateException("no database");
            ChildSpec throwing = ChildSpec.worker("db", () -> {
                throw thrown;
            });
            StartResult result = Supervisor.start(List.of(throwing), SupervisorFlags.oneForOne());
            assertThat(result)
                    .isEqualTo(new StartResult.Failed(
                            ExitReason.shutdown(new Supervisor.FailedToStartChild("db", ExitReason.crash(thrown)))));
        });
    }

    @Test
    void aChildWhoseNameIsTakenFailsTheStart() {
        InProcess.run(() -> {
            Kernel.register("taken", Kernel.self());
            Pid self = Kernel.self();
            ChildSpec named = ChildSpec.worker(
                    "n",
                    () -> GenServer.startLink(
                            new ReportingChild("n", self, ReportingChild.Mode.PLAIN),
                            StartOptions.defaults().name("taken")));
            StartResult result = Supervisor.start(List.of(named), SupervisorFlags.oneForOne());
            assertThat(result)
                    .isEqualTo(new StartResult.Failed(ExitReason.shutdown(new Supervisor.FailedToStartChild(
                            "n", ExitReason.other(new StartResult.AlreadyStarted(self))))));
            Kernel.unregister("taken");
        });
    }

    @Test
    void ignoredChildrenAreKeptWithoutAPidUnlessTemporary() {
        InProcess.run(() -> {
            ChildSpec ignored = ChildSpec.worker("i", () -> new StartResult.Ignore());
            Pid sup = Supervisor.start(
                            List.of(ignored, ignored.id("t").restart(ChildSpec.Restart.TEMPORARY)),
                            SupervisorFlags.oneForOne())
                    .orThrow();
            assertThat(Supervisor.whichChildren(sup)).singleElement().satisfies(c -> {
                assertThat(c.id()).isEqualTo("i");
                assertThat(c.pid()).isEmpty();
                assertThat(c.restarting()).isFalse();
            });
            assertThat(Supervisor.countChildren(sup)).isEqualTo(new ChildCounts(1, 0, 0, 1));
            Supervisor.stop(sup);
        });
    }

    @Test
    void startRejectsChildrenWithTheSameIdAndInvalidSignificantChildren() {
        ChildSpec a = ChildSpec.worker("a", () -> new StartResult.Ignore());
        assertThatThrownBy(() -> Supervisor.start(List.of(a, a), SupervisorFlags.oneForOne()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duplicate child id: a");
        ChildSpec significant = a.restart(ChildSpec.Restart.TRANSIENT).significant();
        assertThatThrownBy(() -> Supervisor.start(List.of(significant), SupervisorFlags.oneForOne()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("auto shutdown");
        assertThatThrownBy(() -> Supervisor.start(
                        List.of(significant.restart(ChildSpec.Restart.PERMANENT)),
                        SupervisorFlags.oneForOne().autoShutdown(SupervisorFlags.AutoShutdown.ANY_SIGNIFICANT)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PERMANENT");
    }

    @Test
    void aSupervisorStartedWithANameIsReachedByNameAndTheNameCannotBeTakenTwice() {
        InProcess.run(() -> {
            StartOptions named = StartOptions.defaults().name("tree");
            Pid sup = Supervisor.start(List.of(ReportingChild.spec("a")), SupervisorFlags.oneForOne(), named)
                    .orThrow();
            Pid a = started("a").pid();
            assertThat(Kernel.whereis("tree")).contains(sup);
            assertThat(Supervisor.whichChildren(Name.local("tree")))
                    .singleElement()
                    .satisfies(c -> assertThat(c.pid()).contains(a));
            assertThat(Supervisor.countChildren(Name.local("tree"))).isEqualTo(new ChildCounts(1, 1, 0, 1));
            assertThat(Supervisor.start(List.of(), SupervisorFlags.oneForOne(), named))
                    .isEqualTo(new StartResult.AlreadyStarted(sup));
            assertThat(Kernel.processInfo(sup).orElseThrow().label()).isEqualTo(Supervisor.class.getName());
            Supervisor.stop(sup);
            assertThatThrownBy(() -> Supervisor.whichChildren(Name.local("tree")))
                    .isInstanceOf(ExitException.class)
                    .satisfies(e -> assertThat(((ExitException) e).reason()).isEqualTo(ExitReason.NOPROC));
        });
    }
}
