package dev.trellis.otp;

import static dev.trellis.otp.Supervision.awaitDown;
import static dev.trellis.otp.Supervision.exitAndWait;
import static dev.trellis.otp.Supervision.ids;
import static dev.trellis.otp.Supervision.pidOf;
import static dev.trellis.otp.Supervision.refuteQueued;
import static dev.trellis.otp.Supervision.started;
import static dev.trellis.otp.Supervision.stopChild;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/// supervisor_SUITE: which_children, count_children, start_child, terminate_child,
/// restart_child, delete_child, get_childspec, significant children and auto shutdown.
@ExtendWith(SupervisionLeakCheck.class)
class SupervisorChildrenTest {

    static final ExitReason CRASH = ExitReason.other("boom");

    @Test
    void superviseATreeAsTheJavadocExampleShows() {
        InProcess.run(() -> {
            List<ChildSpec> children = List.of(
                    ChildSpec.supervisor(
                            "buckets", () -> DynamicSupervisor.startLink(DynamicSupervisorFlags.defaults())),
                    ReportingChild.spec("registry"));
            Pid sup =
                    Supervisor.startLink(children, SupervisorFlags.oneForAll()).orThrow();
            Pid registry = started("registry").pid();
            assertThat(Supervisor.whichChildren(sup))
                    .extracting(ChildInfo::id, ChildInfo::type)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("buckets", ChildSpec.Type.SUPERVISOR),
                            org.assertj.core.groups.Tuple.tuple("registry", ChildSpec.Type.WORKER));
            assertThat(Supervisor.countChildren(sup)).isEqualTo(new ChildCounts(2, 2, 1, 1));
            assertThat(Supervisor.terminateChild(sup, "registry")).isEqualTo(new Supervisor.Terminated());
            assertThat(Kernel.isAlive(registry)).isFalse();
            Supervisor.RestartChildResult restarted = Supervisor.restartChild(sup, "registry");
            Pid again = started("registry").pid();
            assertThat(restarted).isEqualTo(new Supervisor.Started(again));
            Supervisor.stop(sup);
        });
    }

    @Test
    void whichChildrenListsTheChildrenInStartOrderWithTheirPidsTypesAndRestartTypes() {
        InProcess.run(() -> {
            Pid sup = Supervisor.startLink(
                            List.of(
                                    ReportingChild.spec("a"),
                                    Supervisor.childSpec("s", List.of(), SupervisorFlags.oneForOne()),
                                    ReportingChild.spec("c").restart(ChildSpec.Restart.TRANSIENT)),
                            SupervisorFlags.oneForOne())
                    .orThrow();
            Pid a = started("a").pid();
            Pid c = started("c").pid();
            List<ChildInfo> children = Supervisor.whichChildren(sup);
            assertThat(children).extracting(ChildInfo::id).containsExactly("a", "s", "c");
            assertThat(children.get(0).pid()).contains(a);
            assertThat(children.get(1).type()).isEqualTo(ChildSpec.Type.SUPERVISOR);
            assertThat(children.get(2).pid()).contains(c);
            assertThat(children.get(2).restart()).isEqualTo(ChildSpec.Restart.TRANSIENT);
            assertThat(children).allSatisfy(ci -> {
                assertThat(ci.restarting()).isFalse();
                assertThat(ci.restarts()).isZero();
                assertThat(ci.lastExit()).isEmpty();
            });
            Supervisor.stop(sup);
        });
    }

    @Test
    void countChildrenCountsSpecsActiveChildrenSupervisorsAndWorkers() {
        InProcess.run(() -> {
            Pid sup = Supervisor.startLink(
                            List.of(
                                    ReportingChild.spec("a").restart(ChildSpec.Restart.TRANSIENT),
                                    ReportingChild.spec("b"),
                                    Supervisor.childSpec("s", List.of(), SupervisorFlags.oneForOne())),
                            SupervisorFlags.oneForOne())
                    .orThrow();
            Pid a = started("a").pid();
            started("b");
            assertThat(Supervisor.countChildren(sup)).isEqualTo(new ChildCounts(3, 3, 1, 2));
            stopChild(a, ExitReason.NORMAL); // a transient child that exits normally stays, not running
            assertThat(Supervisor.countChildren(sup)).isEqualTo(new ChildCounts(3, 2, 1, 2));
            Supervisor.stop(sup);
        });
    }

    @Test
    void startChildStartsAChildAfterTheOthersAndRestartsItLikeThem() {
        InProcess.run(() -> {
            Pid sup = Supervisor.startLink(List.of(ReportingChild.spec("a")), SupervisorFlags.oneForOne())
                    .orThrow();
            started("a");
            Supervisor.StartChildResult result = Supervisor.startChild(sup, ReportingChild.spec("b"));
            Pid b = started("b").pid();
            assertThat(result).isEqualTo(new Supervisor.Started(b));
            assertThat(result.orThrow()).isEqualTo(b);
            assertThat(ids(sup)).containsExactly("a", "b");
            exitAndWait(b, CRASH);
            assertThat(pidOf(sup, "b")).contains(started("b").pid());
            Supervisor.stop(sup);
        });
    }

    @Test
    void startChildReportsARunningIdAsAlreadyStartedAndAStoppedOneAsAlreadyPresent() {
        InProcess.run(() -> {
            Pid sup = Supervisor.startLink(List.of(ReportingChild.spec("a")), SupervisorFlags.oneForOne())
                    .orThrow();
            Pid a = started("a").pid();
            assertThat(Supervisor.startChild(sup, ReportingChild.spec("a")))
                    .isEqualTo(new Supervisor.AlreadyStarted(a));
            Supervisor.terminateChild(sup, "a");
            assertThat(Supervisor.startChild(sup, ReportingChild.spec("a"))).isEqualTo(new Supervisor.AlreadyPresent());
            assertThatThrownBy(() ->
                            Supervisor.startChild(sup, ReportingChild.spec("a")).orThrow())
                    .isInstanceOf(ExitException.class);
            refuteQueued(Match.type(ReportingChild.Started.class));
            Supervisor.stop(sup);
        });
    }

    @Test
    void startChildReportsAFailedOrIgnoredStartAndKeepsOnlyIgnoredPermanentChildren() {
        InProcess.run(() -> {
            Pid sup =
                    Supervisor.startLink(List.of(), SupervisorFlags.oneForOne()).orThrow();
            assertThat(Supervisor.startChild(sup, ChildSpec.worker("f", () -> new StartResult.Failed(CRASH))))
                    .isEqualTo(new Supervisor.Failed(CRASH));
            ChildSpec ignored = ChildSpec.worker("i", () -> new StartResult.Ignore());
            assertThat(Supervisor.startChild(sup, ignored)).isEqualTo(new Supervisor.Ignored());
            assertThat(Supervisor.startChild(sup, ignored.id("t").restart(ChildSpec.Restart.TEMPORARY)))
                    .isEqualTo(new Supervisor.Ignored());
            assertThat(ids(sup)).containsExactly("i");
            Supervisor.stop(sup);
        });
    }

    @Test
    void startChildRejectsSignificantChildrenTheSupervisorCannotHave() {
        InProcess.run(() -> {
            Pid sup =
                    Supervisor.startLink(List.of(), SupervisorFlags.oneForOne()).orThrow();
            ChildSpec significant = ReportingChild.spec("s")
                    .restart(ChildSpec.Restart.TRANSIENT)
                    .significant();
            assertThatThrownBy(() -> Supervisor.startChild(sup, significant))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("auto shutdown");
            assertThatThrownBy(() -> Supervisor.startChild(sup, significant.restart(ChildSpec.Restart.PERMANENT)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("PERMANENT");
            assertThat(Supervisor.whichChildren(sup)).isEmpty();
            Supervisor.stop(sup);
        });
    }

    @Test
    void terminateChildStopsTheChildKeepsItsSpecAndReportsAnUnknownIdAsNotFound() {
        InProcess.run(() -> {
            Pid sup = Supervisor.startLink(
                            List.of(ReportingChild.spec("a", ReportingChild.Mode.TRAPPING)),
                            SupervisorFlags.oneForOne())
                    .orThrow();
            Ref a = Kernel.monitor(started("a").pid());
            assertThat(Supervisor.terminateChild(sup, "a")).isEqualTo(new Supervisor.Terminated());
            assertThat(awaitDown(a)).isEqualTo(ExitReason.SHUTDOWN);
            assertThat(Supervisor.whichChildren(sup)).singleElement().satisfies(c -> {
                assertThat(c.pid()).isEmpty();
                assertThat(c.lastExit()).contains(ExitReason.SHUTDOWN);
            });
            assertThat(Supervisor.terminateChild(sup, "a")).isEqualTo(new Supervisor.Terminated());
            assertThat(Supervisor.terminateChild(sup, "nope")).isEqualTo(new Supervisor.NotFound());
            Supervisor.stop(sup);
        });
    }

    @Test
    void terminateChildForgetsATemporaryChild() {
        InProcess.run(() -> {
            Pid sup = Supervisor.startLink(
                            List.of(ReportingChild.spec("t").restart(ChildSpec.Restart.TEMPORARY)),
                            SupervisorFlags.oneForOne())
                    .orThrow();
            started("t");
            assertThat(Supervisor.terminateChild(sup, "t")).isEqualTo(new Supervisor.Terminated());
            assertThat(Supervisor.whichChildren(sup)).isEmpty();
            assertThat(Supervisor.restartChild(sup, "t")).isEqualTo(new Supervisor.NotFound());
            Supervisor.stop(sup);
        });
    }

    @Test
    void restartChildStartsAStoppedChildAndRefusesARunningOrUnknownOne() {
        InProcess.run(() -> {
            Pid sup = Supervisor.startLink(List.of(ReportingChild.spec("a")), SupervisorFlags.oneForOne())
                    .orThrow();
            started("a");
            assertThat(Supervisor.restartChild(sup, "a")).isEqualTo(new Supervisor.Running());
            assertThat(Supervisor.restartChild(sup, "nope")).isEqualTo(new Supervisor.NotFound());
            Supervisor.terminateChild(sup, "a");
            Supervisor.RestartChildResult result = Supervisor.restartChild(sup, "a");
            Pid again = started("a").pid();
            assertThat(result).isEqualTo(new Supervisor.Started(again));
            assertThat(pidOf(sup, "a")).contains(again);
            Supervisor.stop(sup);
        });
    }

    @Test
    void restartChildReportsAFailedStartAndLeavesTheChildStopped() {
        InProcess.run(() -> {
            java.util.concurrent.atomic.AtomicBoolean fail = new java.util.concurrent.atomic.AtomicBoolean();
            ChildSpec base = ReportingChild.spec("a");
            ChildSpec spec = ChildSpec.worker(
                    "a",
                    extra -> fail.get()
                            ? new StartResult.Failed(CRASH)
                            : base.start().start(extra));
            Pid sup = Supervisor.startLink(List.of(spec), SupervisorFlags.oneForOne())
                    .orThrow();
            started("a");
            Supervisor.terminateChild(sup, "a");
            fail.set(true);
            assertThat(Supervisor.restartChild(sup, "a")).isEqualTo(new Supervisor.Failed(CRASH));
            assertThat(pidOf(sup, "a")).isEmpty();
            Supervisor.stop(sup);
        });
    }

    @Test
    void deleteChildRemovesAStoppedChildAndRefusesARunningOrUnknownOne() {
        InProcess.run(() -> {
            Pid sup = Supervisor.startLink(
                            List.of(ReportingChild.spec("a"), ReportingChild.spec("b")), SupervisorFlags.oneForOne())
                    .orThrow();
            started("a");
            started("b");
            assertThat(Supervisor.deleteChild(sup, "a")).isEqualTo(new Supervisor.Running());
            assertThat(Supervisor.deleteChild(sup, "nope")).isEqualTo(new Supervisor.NotFound());
            Supervisor.terminateChild(sup, "a");
            assertThat(Supervisor.deleteChild(sup, "a")).isEqualTo(new Supervisor.Deleted());
            assertThat(ids(sup)).containsExactly("b");
            assertThat(Supervisor.deleteChild(sup, "a")).isEqualTo(new Supervisor.NotFound());
            Supervisor.stop(sup);
        });
    }

    @Test
    void getChildSpecReturnsTheSpecOfAKnownChild() {
        InProcess.run(() -> {
            ChildSpec spec = ReportingChild.spec("a");
            Pid sup = Supervisor.startLink(List.of(spec), SupervisorFlags.oneForOne())
                    .orThrow();
            started("a");
            assertThat(Supervisor.getChildSpec(sup, "a")).contains(spec);
            assertThat(Supervisor.getChildSpec(sup, "nope")).isEqualTo(Optional.empty());
            Supervisor.stop(sup);
        });
    }

    @Test
    void aSupervisorIsAGenServerThatSysCanInspectAndSuspend() {
        InProcess.run(() -> {
            Pid sup = Supervisor.startLink(List.of(ReportingChild.spec("a")), SupervisorFlags.oneForOne())
                    .orThrow();
            started("a");
            assertThat(Sys.getState(sup).toString()).contains("ONE_FOR_ONE").contains("children=1");
            Sys.suspend(sup);
            assertThat(Sys.statistics(sup).suspended()).isTrue();
            Sys.resume(sup);
            assertThat(Supervisor.countChildren(sup).active()).isEqualTo(1);
            Supervisor.stop(sup);
        });
    }

    @Test
    void aSupervisorIgnoresExitsFromProcessesThatAreNotItsChildren() {
        InProcess.run(() -> {
            Pid sup = Supervisor.start(List.of(ReportingChild.spec("a")), SupervisorFlags.oneForOne())
                    .orThrow();
            Pid a = started("a").pid();
            Pid stranger = Kernel.spawn(() -> Kernel.exit(sup, CRASH));
            Supervision.awaitExit(stranger);
            assertThat(pidOf(sup, "a")).contains(a);
            Supervisor.stop(sup);
        });
    }

    // ---- significant children -----------------------------------------------------------

    @Test
    void anySignificantShutsTheSupervisorDownWhenASignificantChildExits() {
        InProcess.run(() -> {
            Pid sup = Supervisor.start(
                            List.of(
                                    ReportingChild.spec("s1")
                                            .restart(ChildSpec.Restart.TRANSIENT)
                                            .significant(),
                                    ReportingChild.spec("s2")
                                            .restart(ChildSpec.Restart.TEMPORARY)
                                            .significant(),
                                    ReportingChild.spec("other")),
                            SupervisorFlags.oneForOne().autoShutdown(SupervisorFlags.AutoShutdown.ANY_SIGNIFICANT))
                    .orThrow();
            Pid s1 = started("s1").pid();
            Pid s2 = started("s2").pid();
            Pid other = started("other").pid();
            Ref supRef = Kernel.monitor(sup);
            stopChild(s1, ExitReason.NORMAL);
            assertThat(awaitDown(supRef)).isEqualTo(ExitReason.SHUTDOWN);
            assertThat(Kernel.isAlive(s2)).isFalse();
            assertThat(Kernel.isAlive(other)).isFalse();
        });
    }

    @Test
    void allSignificantShutsTheSupervisorDownWhenTheLastSignificantChildExits() {
        InProcess.run(() -> {
            Pid sup = Supervisor.start(
                            List.of(
                                    ReportingChild.spec("s1")
                                            .restart(ChildSpec.Restart.TRANSIENT)
                                            .significant(),
                                    ReportingChild.spec("s2")
                                            .restart(ChildSpec.Restart.TEMPORARY)
                                            .significant(),
                                    ReportingChild.spec("other")),
                            SupervisorFlags.oneForOne().autoShutdown(SupervisorFlags.AutoShutdown.ALL_SIGNIFICANT))
                    .orThrow();
            Pid s1 = started("s1").pid();
            Pid s2 = started("s2").pid();
            started("other");
            Ref supRef = Kernel.monitor(sup);
            stopChild(s1, ExitReason.SHUTDOWN);
            assertThat(Supervisor.countChildren(sup).active()).isEqualTo(2); // still up
            exitAndWait(s2, CRASH); // temporary: not restarted, and it was the last one
            assertThat(awaitDown(supRef)).isEqualTo(ExitReason.SHUTDOWN);
        });
    }

    @Test
    void aSignificantTransientChildThatCrashesIsRestartedInsteadOfShuttingTheSupervisorDown() {
        InProcess.run(() -> {
            Pid sup = Supervisor.start(
                            List.of(ReportingChild.spec("s")
                                    .restart(ChildSpec.Restart.TRANSIENT)
                                    .significant()),
                            SupervisorFlags.oneForOne().autoShutdown(SupervisorFlags.AutoShutdown.ANY_SIGNIFICANT))
                    .orThrow();
            Pid s = started("s").pid();
            exitAndWait(s, CRASH);
            assertThat(pidOf(sup, "s")).contains(started("s").pid());
            Supervisor.stop(sup);
        });
    }

    @Test
    void terminatingASignificantChildDoesNotShutTheSupervisorDown() {
        InProcess.run(() -> {
            Pid sup = Supervisor.start(
                            List.of(ReportingChild.spec("s")
                                    .restart(ChildSpec.Restart.TRANSIENT)
                                    .significant()),
                            SupervisorFlags.oneForOne().autoShutdown(SupervisorFlags.AutoShutdown.ANY_SIGNIFICANT))
                    .orThrow();
            started("s");
            assertThat(Supervisor.terminateChild(sup, "s")).isEqualTo(new Supervisor.Terminated());
            assertThat(Kernel.isAlive(sup)).isTrue();
            assertThat(Supervisor.countChildren(sup)).isEqualTo(new ChildCounts(1, 0, 0, 1));
            Supervisor.stop(sup);
        });
    }
}
