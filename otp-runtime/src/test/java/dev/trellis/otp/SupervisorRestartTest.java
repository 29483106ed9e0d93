package dev.trellis.otp;

import static dev.trellis.otp.Supervision.exitAndWait;
import static dev.trellis.otp.Supervision.ids;
import static dev.trellis.otp.Supervision.pidOf;
import static dev.trellis.otp.Supervision.refuteQueued;
import static dev.trellis.otp.Supervision.started;
import static dev.trellis.otp.Supervision.stopChild;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/// supervisor_SUITE: restart types, strategies, restart intensity and escalation.
@ExtendWith(SupervisionLeakCheck.class)
class SupervisorRestartTest {

    static final ExitReason CRASH = ExitReason.other("boom");

    enum Outcome {
        RESTARTED,
        KEPT_NOT_RUNNING,
        FORGOTTEN
    }

    static Stream<Arguments> restartMatrix() {
        Map<String, ExitReason> reasons =
                Map.of("normal", ExitReason.NORMAL, "shutdown", ExitReason.SHUTDOWN, "crash", CRASH);
        return Stream.of(
                Arguments.of(ChildSpec.Restart.PERMANENT, "normal", reasons.get("normal"), Outcome.RESTARTED),
                Arguments.of(ChildSpec.Restart.PERMANENT, "shutdown", reasons.get("shutdown"), Outcome.RESTARTED),
                Arguments.of(ChildSpec.Restart.PERMANENT, "crash", reasons.get("crash"), Outcome.RESTARTED),
                Arguments.of(ChildSpec.Restart.TRANSIENT, "normal", reasons.get("normal"), Outcome.KEPT_NOT_RUNNING),
                Arguments.of(
                        ChildSpec.Restart.TRANSIENT, "shutdown", reasons.get("shutdown"), Outcome.KEPT_NOT_RUNNING),
                Arguments.of(ChildSpec.Restart.TRANSIENT, "crash", reasons.get("crash"), Outcome.RESTARTED),
                Arguments.of(ChildSpec.Restart.TEMPORARY, "normal", reasons.get("normal"), Outcome.FORGOTTEN),
                Arguments.of(ChildSpec.Restart.TEMPORARY, "shutdown", reasons.get("shutdown"), Outcome.FORGOTTEN),
                Arguments.of(ChildSpec.Restart.TEMPORARY, "crash", reasons.get("crash"), Outcome.FORGOTTEN));
    }

    @ParameterizedTest(name = "a {0} child that exits {1} is {3}")
    @MethodSource("restartMatrix")
    void aChildIsRestartedAccordingToItsRestartTypeAndExitReason(
            ChildSpec.Restart restart, String reasonName, ExitReason reason, Outcome outcome) {
        InProcess.run(() -> {
            Pid sup = Supervisor.startLink(
                            List.of(ReportingChild.spec("c").restart(restart)), SupervisorFlags.oneForOne())
                    .orThrow();
            Pid child = started("c").pid();
            Ref ref = Kernel.monitor(child);
            ReportingChild.stopWith(child, reason);
            assertThat(Supervision.awaitDown(ref)).isEqualTo(reason);
            List<ChildInfo> children = Supervisor.whichChildren(sup);
            switch (outcome) {
                case RESTARTED -> {
                    Pid again = started("c").pid();
                    assertThat(again).isNotEqualTo(child);
                    assertThat(children).singleElement().satisfies(c -> {
                        assertThat(c.pid()).contains(again);
                        assertThat(c.restarts()).isEqualTo(1);
                        assertThat(c.lastExit()).contains(reason);
                    });
                }
                case KEPT_NOT_RUNNING -> {
                    assertThat(children).singleElement().satisfies(c -> {
                        assertThat(c.pid()).isEmpty();
                        assertThat(c.restarting()).isFalse();
                    });
                    refuteQueued(Match.type(ReportingChild.Started.class));
                }
                case FORGOTTEN -> {
                    assertThat(children).isEmpty();
                    refuteQueued(Match.type(ReportingChild.Started.class));
                }
            }
            Supervisor.stop(sup);
        });
    }

    @Test
    void oneForOneRestartsOnlyTheFailedChildAndItsSiblingsKeepTheirPids() {
        InProcess.run(() -> {
            Pid sup = Supervisor.startLink(
                            List.of(ReportingChild.spec("a"), ReportingChild.spec("b"), ReportingChild.spec("c")),
                            SupervisorFlags.oneForOne())
                    .orThrow();
            Pid a = started("a").pid();
            Pid b = started("b").pid();
            Pid c = started("c").pid();
            exitAndWait(b, CRASH);
            Pid b2 = started("b").pid();
            assertThat(Supervisor.whichChildren(sup))
                    .extracting(ChildInfo::pid)
                    .containsExactly(java.util.Optional.of(a), java.util.Optional.of(b2), java.util.Optional.of(c));
            assertThat(Kernel.isAlive(a)).isTrue();
            assertThat(Kernel.isAlive(c)).isTrue();
            refuteQueued(Match.type(ReportingChild.Started.class));
            Supervisor.stop(sup);
        });
    }

    @Test
    void oneForAllRestartsEveryChildAndNoOldPidSurvives() {
        InProcess.run(() -> {
            Pid sup = Supervisor.startLink(
                            List.of(
                                    ReportingChild.spec("a", ReportingChild.Mode.TRAPPING),
                                    ReportingChild.spec("b", ReportingChild.Mode.TRAPPING),
                                    ReportingChild.spec("c", ReportingChild.Mode.TRAPPING)),
                            SupervisorFlags.oneForAll())
                    .orThrow();
            List<Pid> old =
                    List.of(started("a").pid(), started("b").pid(), started("c").pid());
            Ref ra = Kernel.monitor(old.get(0));
            Ref rc = Kernel.monitor(old.get(2));
            stopChild(old.get(1), CRASH);
            assertThat(Supervision.stopping().id()).isEqualTo("b"); // its own terminate
            // The others are stopped in reverse start order, then all start again in order.
            assertThat(Supervision.stopping().id()).isEqualTo("c");
            assertThat(Supervision.stopping().id()).isEqualTo("a");
            Pid a2 = started("a").pid();
            Pid b2 = started("b").pid();
            Pid c2 = started("c").pid();
            assertThat(Supervision.awaitDown(ra)).isEqualTo(ExitReason.SHUTDOWN);
            assertThat(Supervision.awaitDown(rc)).isEqualTo(ExitReason.SHUTDOWN);
            List<Pid> now = Supervisor.whichChildren(sup).stream()
                    .map(ci -> ci.pid().orElseThrow())
                    .toList();
            assertThat(now).containsExactly(a2, b2, c2).doesNotContainAnyElementsOf(old);
            assertThat(old).noneMatch(Kernel::isAlive);
            Supervisor.stop(sup);
        });
    }

    @Test
    void oneForAllForgetsTemporarySiblingsInsteadOfRestartingThem() {
        InProcess.run(() -> {
            Pid sup = Supervisor.startLink(
                            List.of(
                                    ReportingChild.spec("a"),
                                    ReportingChild.spec("t").restart(ChildSpec.Restart.TEMPORARY),
                                    ReportingChild.spec("c")),
                            SupervisorFlags.oneForAll())
                    .orThrow();
            Pid a = started("a").pid();
            started("t");
            started("c");
            exitAndWait(a, CRASH);
            started("a");
            started("c");
            assertThat(ids(sup)).containsExactly("a", "c");
            refuteQueued(Match.type(ReportingChild.Started.class));
            Supervisor.stop(sup);
        });
    }

    @Test
    void childrenThatCrashTogetherUnderOneForAllCostOneRestart() {
        InProcess.run(() -> {
            Pid sup = Supervisor.start(
                            List.of(ReportingChild.spec("a"), ReportingChild.spec("b")),
                            SupervisorFlags.oneForAll().intensity(1))
                    .orThrow();
            Pid a = started("a").pid();
            Pid b = started("b").pid();
            Sys.suspend(sup);
            exitAndWait(a, CRASH);
            exitAndWait(b, CRASH); // its Exit is consumed while the group restarts, not a new failure
            Supervision.awaitQueued(sup, 2);
            Sys.resume(sup);
            started("a");
            started("b");
            assertThat(Supervisor.whichChildren(sup))
                    .allSatisfy(c -> assertThat(c.restarts()).isEqualTo(1));
            assertThat(Kernel.isAlive(sup)).isTrue();
            refuteQueued(Match.type(ReportingChild.Started.class));
            Supervisor.stop(sup);
        });
    }

    @Test
    void restForOneRestartsTheFailedChildAndOnlyTheOnesStartedAfterIt() {
        InProcess.run(() -> {
            Pid sup = Supervisor.startLink(
                            List.of(
                                    ReportingChild.spec("a", ReportingChild.Mode.TRAPPING),
                                    ReportingChild.spec("b", ReportingChild.Mode.TRAPPING),
                                    ReportingChild.spec("c", ReportingChild.Mode.TRAPPING),
                                    ReportingChild.spec("d", ReportingChild.Mode.TRAPPING)),
                            SupervisorFlags.restForOne())
                    .orThrow();
            Pid a = started("a").pid();
            Pid b = started("b").pid();
            Pid c = started("c").pid();
            Pid d = started("d").pid();
            stopChild(b, CRASH);
            assertThat(Supervision.stopping().id()).isEqualTo("b"); // its own terminate
            assertThat(Supervision.stopping().id()).isEqualTo("d");
            assertThat(Supervision.stopping().id()).isEqualTo("c");
            Pid b2 = started("b").pid();
            Pid c2 = started("c").pid();
            Pid d2 = started("d").pid();
            assertThat(pidOf(sup, "a")).contains(a);
            assertThat(pidOf(sup, "b")).contains(b2);
            assertThat(pidOf(sup, "c")).contains(c2);
            assertThat(pidOf(sup, "d")).contains(d2);
            assertThat(Kernel.isAlive(c)).isFalse();
            assertThat(Kernel.isAlive(d)).isFalse();
            refuteQueued(Match.type(ReportingChild.Started.class));
            refuteQueued(Match.type(ReportingChild.Stopping.class));
            Supervisor.stop(sup);
        });
    }

    @Test
    void threeRestartsWithinThePeriodAreAllowedAndTheFourthShutsTheSupervisorDown() {
        ManualClock clock = new ManualClock();
        InProcess.run(
                () -> {
                    Pid sup = Supervisor.start(
                                    List.of(
                                            ReportingChild.spec("c", ReportingChild.Mode.TRAPPING),
                                            ReportingChild.spec("other")),
                                    SupervisorFlags.oneForOne())
                            .orThrow();
                    Pid child = started("c").pid();
                    Pid other = started("other").pid();
                    for (int i = 0; i < 3; i++) {
                        stopChild(child, CRASH);
                        child = started("c").pid();
                        clock.advance(Duration.ofSeconds(1));
                    }
                    assertThat(Kernel.isAlive(sup)).isTrue();
                    Ref supRef = Kernel.monitor(sup);
                    Ref otherRef = Kernel.monitor(other);
                    ReportingChild.stopWith(child, CRASH);
                    assertThat(Supervision.awaitDown(supRef)).isEqualTo(ExitReason.SHUTDOWN);
                    assertThat(Supervision.awaitDown(otherRef)).isEqualTo(ExitReason.SHUTDOWN);
                    refuteQueued(Match.type(ReportingChild.Started.class));
                },
                SpawnOptions.defaults().clock(clock).label("test"));
    }

    @Test
    void restartsSpreadOverMoreThanThePeriodDoNotShutTheSupervisorDown() {
        ManualClock clock = new ManualClock();
        InProcess.run(
                () -> {
                    Pid sup = Supervisor.start(List.of(ReportingChild.spec("c")), SupervisorFlags.oneForOne())
                            .orThrow();
                    Pid child = started("c").pid();
                    for (int i = 0; i < 8; i++) { // one restart every 2 s: never more than 3 within 5 s
                        exitAndWait(child, CRASH);
                        child = started("c").pid();
                        clock.advance(Duration.ofSeconds(2));
                    }
                    assertThat(Kernel.isAlive(sup)).isTrue();
                    assertThat(Supervisor.whichChildren(sup))
                            .singleElement()
                            .satisfies(c -> assertThat(c.restarts()).isEqualTo(8));
                    Supervisor.stop(sup);
                },
                SpawnOptions.defaults().clock(clock).label("test"));
    }

    @Test
    void aSupervisorThatGivesUpIsRestartedByItsParentAndTheParentEscalatesInTurn() {
        InProcess.run(() -> {
            ChildSpec inner = Supervisor.childSpec(
                    "inner",
                    List.of(ReportingChild.spec("w")),
                    SupervisorFlags.oneForOne().intensity(0));
            Pid parent = Supervisor.start(
                            List.of(inner, ReportingChild.spec("sibling")),
                            SupervisorFlags.oneForOne().intensity(1))
                    .orThrow();
            Pid w = started("w").pid();
            Pid sibling = started("sibling").pid();
            Pid innerPid = pidOf(parent, "inner").orElseThrow();
            Ref innerRef = Kernel.monitor(innerPid);
            exitAndWait(w, CRASH); // intensity 0: the inner supervisor gives up at once
            assertThat(Supervision.awaitDown(innerRef)).isEqualTo(ExitReason.SHUTDOWN);
            Pid w2 = started("w").pid(); // ... and the parent restarts it
            Pid inner2 = pidOf(parent, "inner").orElseThrow();
            assertThat(inner2).isNotEqualTo(innerPid);
            assertThat(pidOf(parent, "sibling")).contains(sibling);
            assertThat(Supervisor.whichChildren(parent).getFirst().lastExit()).contains(ExitReason.SHUTDOWN);

            Ref parentRef = Kernel.monitor(parent);
            Kernel.exit(w2, CRASH); // the parent's second restart within 5 s exceeds its intensity 1
            assertThat(Supervision.awaitDown(parentRef)).isEqualTo(ExitReason.SHUTDOWN);
            assertThat(Kernel.isAlive(sibling)).isFalse();
            assertThat(Kernel.isAlive(inner2)).isFalse();
        });
    }

    @Test
    void aFailedRestartIsRetriedWhileTheChildIsReportedRestarting() {
        InProcess.run(() -> {
            java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
            ChildSpec base = ReportingChild.spec("c");
            ChildSpec flaky = ChildSpec.worker(
                    "c",
                    extra -> failures.getAndDecrement() > 0
                            ? new StartResult.Failed(ExitReason.other("not yet"))
                            : base.start().start(extra));
            Pid sup = Supervisor.start(
                            List.of(flaky), SupervisorFlags.oneForOne().intensity(10))
                    .orThrow();
            Pid child = started("c").pid();
            failures.set(1);
            Sys.suspend(sup);
            Kernel.exit(child, CRASH);
            Supervision.awaitQueued(sup, 1);
            // Queued behind the Exit, these calls are handled between the failed restart and its retry.
            Supervision.async(() -> Supervisor.restartChild(sup, "c"));
            Supervision.async(() -> Supervisor.deleteChild(sup, "c"));
            Supervision.async(() -> Supervisor.whichChildren(sup));
            Supervision.awaitQueued(sup, 4);
            Sys.resume(sup);
            List<Object> results = List.of(
                    Supervision.expect(Match.type(Supervision.Result.class)).value(),
                    Supervision.expect(Match.type(Supervision.Result.class)).value(),
                    Supervision.expect(Match.type(Supervision.Result.class)).value());
            assertThat(results).contains(new Supervisor.Restarting());
            assertThat(results.stream().filter(r -> r.equals(new Supervisor.Restarting())))
                    .hasSize(2);
            assertThat(results)
                    .filteredOn(List.class::isInstance)
                    .singleElement()
                    .satisfies(r -> assertThat((List<?>) r).singleElement().satisfies(ci -> {
                        ChildInfo info = (ChildInfo) ci;
                        assertThat(info.restarting()).isTrue();
                        assertThat(info.pid()).isEmpty();
                    }));
            Pid again = started("c").pid(); // the retry succeeded
            assertThat(pidOf(sup, "c")).contains(again);
            Supervisor.stop(sup);
        });
    }

    @Test
    void aSupervisorStoppedByItsParentStopsItsChildren() {
        InProcess.run(() -> {
            Kernel.trapExit(true);
            Pid sup = Supervisor.startLink(List.of(ReportingChild.spec("a")), SupervisorFlags.oneForOne())
                    .orThrow();
            Pid a = started("a").pid();
            Ref ref = Kernel.monitor(a);
            assertThat(exitAndWait(sup, ExitReason.SHUTDOWN)).isEqualTo(ExitReason.SHUTDOWN);
            assertThat(Supervision.awaitDown(ref)).isEqualTo(ExitReason.SHUTDOWN);
            ExitReason linked =
                    Supervision.expect(m -> m instanceof Exit e && e.from().equals(sup) ? e.reason() : null);
            assertThat(linked).isEqualTo(ExitReason.SHUTDOWN);
        });
    }
}
