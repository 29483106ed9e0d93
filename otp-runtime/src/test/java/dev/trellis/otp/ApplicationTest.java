package dev.trellis.otp;

import static dev.trellis.otp.Supervision.expect;
import static dev.trellis.otp.Supervision.refuteQueued;
import static dev.trellis.otp.Supervision.started;
import static dev.trellis.otp.Supervision.stopping;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

@ExtendWith(SupervisionLeakCheck.class)
class ApplicationTest {

    static List<ChildSpec> tree() {
        return List.of(
                ReportingChild.spec("a", ReportingChild.Mode.TRAPPING),
                ReportingChild.spec("b", ReportingChild.Mode.TRAPPING),
                ReportingChild.spec("c", ReportingChild.Mode.TRAPPING));
    }

    /// A child that needs no observer (for tests run from plain threads).
    static ChildSpec idle(Object id) {
        return ChildSpec.worker(id, () -> new StartResult.Ok(Kernel.spawnLink(() -> Kernel.receive(Match.none()))));
    }

    @Test
    void startAndStopAnApplicationAsTheJavadocExampleShows() {
        InProcess.run(() -> {
            List<ChildSpec> children = tree();
            StartResult result =
                    Application.start("kv", () -> Supervisor.startLink(children, SupervisorFlags.oneForAll()));
            Pid top = result.orThrow();
            started("a");
            assertThat(Application.whichApplications()).containsExactly(new Application.Info("kv", top));
            assertThat(Supervisor.whichChildren(top)).hasSize(3);
            assertThat(Application.stop("kv")).isTrue();
            assertThat(Kernel.isAlive(top)).isFalse();
            assertThat(Application.whichApplications()).isEmpty();
            assertThat(Application.stop("kv")).isFalse();
        });
    }

    @Test
    void startingARunningApplicationReturnsAlreadyStartedWithItsTopSupervisor() {
        InProcess.run(() -> {
            Pid top = Application.start("kv", () -> Supervisor.startLink(List.of(), SupervisorFlags.oneForOne()))
                    .orThrow();
            assertThat(Application.start("kv", () -> Supervisor.startLink(List.of(), SupervisorFlags.oneForOne())))
                    .isEqualTo(new StartResult.AlreadyStarted(top));
            assertThat(Application.whichApplications()).hasSize(1);
            Application.stop("kv");
        });
    }

    @Test
    void stopStopsTheTreeInReverseOrderAndReturnsOnceItIsDown() {
        InProcess.run(() -> {
            List<ChildSpec> children = tree();
            Pid top = Application.start("kv", () -> Supervisor.startLink(children, SupervisorFlags.oneForOne()))
                    .orThrow();
            List<Pid> pids =
                    List.of(started("a").pid(), started("b").pid(), started("c").pid());
            assertThat(Application.stop("kv")).isTrue();
            assertThat(List.of(stopping().id(), stopping().id(), stopping().id()))
                    .containsExactly("c", "b", "a");
            assertThat(pids).noneMatch(Kernel::isAlive);
            assertThat(Kernel.isAlive(top)).isFalse();
        });
    }

    @Test
    void stopWorksFromAPlainThreadAndAgainReturnsFalse() {
        StartResult result =
                Application.start("plain", () -> Supervisor.startLink(List.of(idle("w")), SupervisorFlags.oneForOne()));
        Pid top = result.orThrow();
        assertThat(Application.whichApplications())
                .extracting(Application.Info::name)
                .containsExactly("plain");
        assertThat(Application.stop("plain")).isTrue();
        assertThat(Kernel.isAlive(top)).isFalse();
        assertThat(Application.stop("plain")).isFalse();
        assertThat(Application.whichApplications()).isEmpty();
    }

    @Test
    void concurrentStopsAllReturnOnlyOnceTheTreeIsDown() {
        InProcess.run(() -> {
            ChildSpec slow = ReportingChild.spec("s", ReportingChild.Mode.SLOW).shutdown(ChildSpec.Shutdown.infinity());
            Pid top = Application.start("kv", () -> Supervisor.startLink(List.of(slow), SupervisorFlags.oneForOne()))
                    .orThrow();
            Pid s = started("s").pid();
            Supervision.async(() -> Application.stop("kv"));
            stopping(); // the tree is stopping: its child waits for Go
            Supervision.async(() -> Application.stop("kv"));
            refuteQueued(Match.type(Supervision.Result.class));
            Kernel.send(s, new ReportingChild.Go());
            List<Object> results = List.of(
                    expect(Match.type(Supervision.Result.class)).value(),
                    expect(Match.type(Supervision.Result.class)).value());
            assertThat(results).containsExactlyInAnyOrder(true, false);
            assertThat(Kernel.isAlive(top)).isFalse();
            assertThat(Kernel.isAlive(s)).isFalse();
            assertThat(Application.whichApplications()).isEmpty();
        });
    }

    @Test
    void aTopSupervisorThatFailsToStartFailsTheApplicationStartAndLeavesNothing() {
        InProcess.run(() -> {
            ChildSpec failing = ChildSpec.worker("f", () -> new StartResult.Failed(ExitReason.other("no disk")));
            StartResult result =
                    Application.start("kv", () -> Supervisor.startLink(List.of(failing), SupervisorFlags.oneForOne()));
            assertThat(result)
                    .isEqualTo(new StartResult.Failed(
                            ExitReason.shutdown(new Supervisor.FailedToStartChild("f", ExitReason.other("no disk")))));
            RuntimeException boom = new RuntimeException("boom");
            assertThat(Application.start("kv", () -> {
                        throw boom;
                    }))
                    .isEqualTo(new StartResult.Failed(ExitReason.crash(boom)));
            assertThat(Application.start("kv", StartResult.Ignore::new))
                    .isEqualTo(new StartResult.Failed(ExitReason.other("ignore")));
            assertThat(Application.whichApplications()).isEmpty();
            assertThat(Application.stop("kv")).isFalse();
        });
    }

    @Test
    void theDeathOfTheTopSupervisorStopsTheApplicationAndIsReported() {
        Logger log = (Logger) LoggerFactory.getLogger(Application.class);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        log.addAppender(events);
        try {
            InProcess.run(() -> {
                Application.subscribe();
                List<ChildSpec> children = List.of(ReportingChild.spec("w")); // reporting to this process
                Pid top = Application.start(
                                "kv",
                                () -> Supervisor.startLink(
                                        children, SupervisorFlags.oneForOne().intensity(0)))
                        .orThrow();
                Pid w = started("w").pid();
                Ref topRef = Kernel.monitor(top);
                Kernel.exit(w, ExitReason.other("boom")); // intensity 0: the top supervisor gives up
                assertThat(Supervision.awaitDown(topRef)).isEqualTo(ExitReason.SHUTDOWN);
                assertThat(expect(Match.type(ApplicationStopped.class)))
                        .isEqualTo(new ApplicationStopped("kv", ExitReason.SHUTDOWN));
                Awaitility.await()
                        .atMost(Supervision.WAIT)
                        .until(() -> Application.whichApplications().isEmpty());
                assertThat(Application.stop("kv")).isFalse();
            });
            assertThat(events.list)
                    .filteredOn(e -> e.getLevel() == Level.ERROR)
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .containsExactly("application kv exited: shutdown");
        } finally {
            log.detachAppender(events);
        }
    }

    @Test
    void aKilledTopSupervisorIsReportedWithItsReasonAndTheNameCanBeStartedAgain() {
        InProcess.run(() -> {
            Application.subscribe();
            Pid top = Application.start("kv", () -> Supervisor.startLink(List.of(), SupervisorFlags.oneForOne()))
                    .orThrow();
            Kernel.exit(top, ExitReason.KILL);
            assertThat(expect(Match.type(ApplicationStopped.class)))
                    .isEqualTo(new ApplicationStopped("kv", ExitReason.KILLED));
            Awaitility.await()
                    .atMost(Supervision.WAIT)
                    .until(() -> Application.whichApplications().isEmpty());
            Pid again = Application.start("kv", () -> Supervisor.startLink(List.of(), SupervisorFlags.oneForOne()))
                    .orThrow();
            assertThat(again).isNotEqualTo(top);
            assertThat(Application.stop("kv")).isTrue();
            assertThat(expect(Match.type(ApplicationStopped.class)))
                    .isEqualTo(new ApplicationStopped("kv", Application.STOPPED));
        });
    }

    @Test
    void aStopIsReportedToSubscribersBeforeStopReturnsAndNotAfterUnsubscribing() {
        InProcess.run(() -> {
            Application.subscribe();
            Application.subscribe(); // twice is once
            Application.start("kv", () -> Supervisor.startLink(List.of(), SupervisorFlags.oneForOne()))
                    .orThrow();
            Application.stop("kv");
            assertThat(Kernel.receive(Match.type(ApplicationStopped.class), java.time.Duration.ZERO))
                    .contains(new ApplicationStopped("kv", Application.STOPPED));
            refuteQueued(Match.type(ApplicationStopped.class));
            Application.unsubscribe();
            Application.start("kv", () -> Supervisor.startLink(List.of(), SupervisorFlags.oneForOne()))
                    .orThrow();
            Application.stop("kv");
            refuteQueued(Match.type(ApplicationStopped.class));
        });
    }
}
