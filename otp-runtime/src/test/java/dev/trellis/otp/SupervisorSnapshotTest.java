package dev.trellis.otp;

import static dev.trellis.otp.Supervision.exitAndWait;
import static dev.trellis.otp.Supervision.started;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.otp.observe.ChildSnapshot;
import dev.trellis.otp.observe.ObserverBackend;
import dev.trellis.otp.observe.SupervisorSnapshot;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/// What supervisors publish for tools ([ObserverBackend#supervisors(int)]): read from any
/// thread without a message to the supervisor.
@ExtendWith(SupervisionLeakCheck.class)
class SupervisorSnapshotTest {
    static final ExitReason CRASH = ExitReason.other("boom");

    private static SupervisorSnapshot snapshot(Pid sup) {
        return ObserverBackend.supervisor(sup, 100).orElseThrow();
    }

    @Test
    void aSupervisorPublishesItsStrategyIntensityAndChildrenInStartOrder() {
        InProcess.run(() -> {
            Pid sup = Supervisor.start(
                            List.of(ReportingChild.spec("a"), ReportingChild.spec("b")),
                            SupervisorFlags.oneForAll().intensity(4).period(Duration.ofSeconds(7)),
                            StartOptions.defaults().name("snapshot_sup").label("SnapshotSup"))
                    .orThrow();
            Pid a = started("a").pid();
            Pid b = started("b").pid();
            SupervisorSnapshot s = snapshot(sup);
            assertThat(s.pid()).isEqualTo(sup);
            assertThat(s.name()).isEqualTo("snapshot_sup");
            assertThat(s.path()).isEqualTo("snapshot_sup");
            assertThat(s.label()).isEqualTo("SnapshotSup");
            assertThat(s.kind()).isEqualTo(SupervisorSnapshot.Kind.SUPERVISOR);
            assertThat(s.strategy()).isEqualTo("one_for_all");
            assertThat(s.maxRestarts()).isEqualTo(4);
            assertThat(s.period()).isEqualTo(Duration.ofSeconds(7));
            assertThat(s.restartsLeft()).isEqualTo(4);
            assertThat(s.restarts()).isZero();
            assertThat(s.childCount()).isEqualTo(2);
            assertThat(s.children())
                    .containsExactly(
                            new ChildSnapshot("a", a, ChildSnapshot.State.RUNNING, "worker", "permanent", 0, null),
                            new ChildSnapshot("b", b, ChildSnapshot.State.RUNNING, "worker", "permanent", 0, null));
            assertThat(ObserverBackend.supervisors(0)).anySatisfy(x -> {
                assertThat(x.pid()).isEqualTo(sup);
                assertThat(x.children()).isEmpty();
                assertThat(x.childCount()).isEqualTo(2);
            });
            Supervisor.stop(sup);
        });
    }

    @Test
    void aRestartShowsTheNewPidTheRestartCountAndTheLastExitReason() {
        InProcess.run(() -> {
            Pid sup = Supervisor.start(List.of(ReportingChild.spec("c")), SupervisorFlags.oneForOne())
                    .orThrow();
            Pid old = started("c").pid();
            long before = snapshot(sup).version();
            exitAndWait(old, CRASH);
            Pid restarted = started("c").pid();
            Supervisor.countChildren(sup); // answered after the restart was handled and published
            SupervisorSnapshot s = snapshot(sup);
            assertThat(s.version()).isGreaterThan(before);
            assertThat(s.children())
                    .containsExactly(new ChildSnapshot(
                            "c", restarted, ChildSnapshot.State.RUNNING, "worker", "permanent", 1, CRASH));
            assertThat(restarted).isNotEqualTo(old);
            assertThat(s.restarts()).isEqualTo(1);
            assertThat(s.restartsLeft()).isEqualTo(2);
            assertThat(s.path()).isEqualTo(Supervisor.class.getName()); // unnamed, no parent supervisor: its label
            Supervisor.stop(sup);
        });
    }

    @Test
    void aTerminatedChildIsUndefinedAndATemporaryOneIsForgotten() {
        InProcess.run(() -> {
            Pid sup = Supervisor.start(
                            List.of(
                                    ReportingChild.spec("kept").restart(ChildSpec.Restart.TRANSIENT),
                                    ReportingChild.spec("gone").restart(ChildSpec.Restart.TEMPORARY)),
                            SupervisorFlags.oneForOne())
                    .orThrow();
            started("kept");
            started("gone");
            Supervisor.terminateChild(sup, "kept");
            Supervisor.terminateChild(sup, "gone");
            assertThat(snapshot(sup).children()).singleElement().satisfies(c -> {
                assertThat(c.id()).isEqualTo("kept");
                assertThat(c.pid()).isNull();
                assertThat(c.state()).isEqualTo(ChildSnapshot.State.UNDEFINED);
                assertThat(c.restart()).isEqualTo("transient");
                assertThat(c.lastExit()).isEqualTo(ExitReason.SHUTDOWN);
            });
            Supervisor.stop(sup);
        });
    }

    @Test
    void theBudgetLeftComesBackAsRestartsLeaveTheWindowOnTheSupervisorsClock() {
        ManualClock clock = new ManualClock();
        InProcess.run(
                () -> {
                    Pid sup = Supervisor.start(List.of(ReportingChild.spec("c")), SupervisorFlags.oneForOne())
                            .orThrow();
                    Pid child = started("c").pid();
                    exitAndWait(child, CRASH);
                    child = started("c").pid();
                    clock.advance(Duration.ofSeconds(2));
                    exitAndWait(child, CRASH);
                    started("c");
                    Supervisor.countChildren(sup);
                    assertThat(snapshot(sup).restartsLeft()).isEqualTo(1);
                    clock.advance(Duration.ofSeconds(3)); // the first restart is exactly 5 s old: still counted
                    assertThat(snapshot(sup).restartsLeft()).isEqualTo(1);
                    clock.advance(Duration.ofNanos(1)); // now it has left the window; no message was needed
                    assertThat(snapshot(sup).restartsLeft()).isEqualTo(2);
                    clock.advance(Duration.ofSeconds(2));
                    assertThat(snapshot(sup).restartsLeft()).isEqualTo(3);
                    assertThat(snapshot(sup).restarts()).isEqualTo(2);
                    Supervisor.stop(sup);
                },
                SpawnOptions.defaults().clock(clock).label("test"));
    }

    @Test
    void aSnapshotIsReadWhileTheSupervisorIsSuspended() {
        InProcess.run(() -> {
            Pid sup = Supervisor.start(List.of(ReportingChild.spec("c")), SupervisorFlags.oneForOne())
                    .orThrow();
            Pid child = started("c").pid();
            Sys.suspend(sup);
            assertThat(snapshot(sup).children()).extracting(ChildSnapshot::pid).containsExactly(child);
            Sys.resume(sup);
            Supervisor.stop(sup);
        });
    }

    @Test
    void aDynamicSupervisorPublishesEachChildAsItComesAndGoes() {
        InProcess.run(() -> {
            Pid sup = DynamicSupervisor.start(
                            DynamicSupervisorFlags.defaults().maxChildren(10).maxRestarts(5))
                    .orThrow();
            Pid t1 = DynamicSupervisor.startChild(sup, ReportingChild.spec("t").restart(ChildSpec.Restart.TEMPORARY))
                    .orThrow();
            Pid p = DynamicSupervisor.startChild(sup, ReportingChild.spec("p")).orThrow();
            started("p");
            Pid t2 = DynamicSupervisor.startChild(sup, ReportingChild.spec("t").restart(ChildSpec.Restart.TEMPORARY))
                    .orThrow();
            SupervisorSnapshot s = snapshot(sup);
            assertThat(s.kind()).isEqualTo(SupervisorSnapshot.Kind.DYNAMIC_SUPERVISOR);
            assertThat(s.strategy()).isEqualTo("one_for_one");
            assertThat(s.maxRestarts()).isEqualTo(5);
            assertThat(s.maxChildren()).isEqualTo(10);
            assertThat(s.childCount()).isEqualTo(3);
            assertThat(s.children()).extracting(ChildSnapshot::pid).containsExactly(t1, p, t2);
            assertThat(ObserverBackend.supervisor(sup, 2).orElseThrow().children())
                    .extracting(ChildSnapshot::pid)
                    .containsExactly(t1, p);

            DynamicSupervisor.terminateChild(sup, t1);
            exitAndWait(p, CRASH);
            Pid p2 = started("p").pid();
            DynamicSupervisor.countChildren(sup);
            assertThat(snapshot(sup).children())
                    .containsExactly(
                            new ChildSnapshot("t", t2, ChildSnapshot.State.RUNNING, "worker", "temporary", 0, null),
                            new ChildSnapshot("p", p2, ChildSnapshot.State.RUNNING, "worker", "permanent", 1, CRASH));
            assertThat(snapshot(sup).restartsLeft()).isEqualTo(4);
            Supervisor.stop(sup);
        });
    }

    @Test
    void aSupervisorIsListedFromItsStartUntilItExits() {
        InProcess.run(() -> {
            long before = ObserverBackend.supervisionVersion();
            Pid sup = Supervisor.start(List.of(), SupervisorFlags.oneForOne()).orThrow();
            assertThat(ObserverBackend.supervisionVersion()).isNotEqualTo(before);
            assertThat(ObserverBackend.supervisors(10))
                    .extracting(SupervisorSnapshot::pid)
                    .contains(sup);
            Ref ref = Kernel.monitor(sup);
            Supervisor.stop(sup);
            Supervision.awaitDown(ref);
            assertThat(ObserverBackend.supervisor(sup, 10)).isEmpty();
            assertThat(ObserverBackend.supervisors(10))
                    .extracting(SupervisorSnapshot::pid)
                    .doesNotContain(sup);
        });
    }

    @Test
    void anUnnamedSupervisorsPathIsTheChildIdsFromItsApplication() {
        InProcess.run(() -> {
            ChildSpec inner =
                    Supervisor.childSpec("inner", List.of(ReportingChild.spec("w")), SupervisorFlags.oneForOne());
            Pid top = Application.start(
                            "snapshot_app", () -> Supervisor.startLink(List.of(inner), SupervisorFlags.oneForOne()))
                    .orThrow();
            started("w");
            Pid innerPid = Supervisor.whichChildren(top).getFirst().pid().orElseThrow();
            assertThat(snapshot(top).path()).isEqualTo("snapshot_app");
            assertThat(snapshot(innerPid).path()).isEqualTo("snapshot_app/inner");
            assertThat(snapshot(top).children().getFirst().type()).isEqualTo("supervisor");
            Application.stop("snapshot_app");
        });
    }
}
