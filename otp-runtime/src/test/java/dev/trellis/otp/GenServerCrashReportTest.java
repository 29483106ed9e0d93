package dev.trellis.otp;

import static dev.trellis.otp.ServerTesting.downOf;
import static dev.trellis.otp.ServerTesting.exitReasonOf;
import static dev.trellis.otp.ServerTesting.expect;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/// Crash reports: one error report per crash (server, last message, state, reason) through the
/// `dev.trellis.otp.GenServer` logger, nothing at error level for clean stops (gen_server_SUITE's
/// error_format_status / crash report cases).
@ExtendWith(SupervisionLeakCheck.class)
class GenServerCrashReportTest {

    private static final String NAME = "crash_report_server";
    private static final String GEN_SERVER_LOGGER = GenServer.class.getName();
    private static final String PROCESS_LOGGER = "dev.trellis.otp.Process";

    record Server(boolean trap) implements GenServer<Server.Msg, Integer> {
        sealed interface Msg {}

        record Crash(String text) implements Msg {}

        record CrashCall(String text) implements Msg, Call<String> {}

        record Quit(ExitReason reason) implements Msg {}

        @Override
        public Init<Integer> init() {
            Kernel.trapExit(trap);
            return Init.ok(7);
        }

        @Override
        public Next<Integer> handle(Msg msg, Integer n) {
            return switch (msg) {
                case Crash c -> throw new IllegalStateException("boom: " + c.text());
                case CrashCall c -> throw new IllegalArgumentException("bad call: " + c.text());
                case Quit q -> Next.stop(q.reason(), n);
            };
        }

        @Override
        public String describe(Integer n) {
            return "counter=" + n;
        }
    }

    /// A server whose `terminate` throws.
    static final class FailingTerminate implements GenServer<Object, String> {
        @Override
        public Init<String> init() {
            return Init.ok("state");
        }

        @Override
        public Next<String> handle(Object msg, String state) {
            return Next.noreply(state);
        }

        @Override
        public void terminate(ExitReason reason, String state) {
            throw new IllegalStateException("terminate failed");
        }
    }

    @Test
    void aCrashLogsExactlyOneErrorWithTheNameTheLastMessageTheStateAndTheReason() {
        try (LogCapture log = LogCapture.start()) {
            InProcess.run(() -> {
                Pid pid = GenServer.start(
                                new Server(false), StartOptions.defaults().name(NAME))
                        .orThrow();
                Ref ref = Kernel.monitor(pid);
                GenServer.cast(pid, new Server.Crash("last words"));
                ExitReason reason = expect(downOf(ref)).reason();
                assertThat(reason).isInstanceOf(ExitReason.Crash.class);

                List<ILoggingEvent> errors = log.at(Level.ERROR);
                assertThat(errors).hasSize(1);
                ILoggingEvent report = errors.getFirst();
                assertThat(report.getLoggerName()).isEqualTo(GEN_SERVER_LOGGER);
                assertThat(report.getFormattedMessage())
                        .contains(NAME, pid.toString())
                        .contains("Last message: Crash[text=last words]")
                        .contains("State: counter=7")
                        .contains("Reason: " + reason)
                        .contains("boom: last words");
                assertThat(report.getThrowableProxy().getMessage()).isEqualTo("boom: last words");
            });
        }
    }

    @Test
    void aCrashDuringACallReportsTheCallAsTheLastMessage() {
        try (LogCapture log = LogCapture.start()) {
            InProcess.run(() -> {
                Pid pid = GenServer.start(new Server(false)).orThrow();
                ExitReason reason = exitReasonOf(() -> GenServer.call(pid, new Server.CrashCall("the request")));
                assertThat(reason).isInstanceOf(ExitReason.Crash.class);
                List<ILoggingEvent> errors = log.at(Level.ERROR);
                assertThat(errors).hasSize(1);
                assertThat(errors.getFirst().getLoggerName()).isEqualTo(GEN_SERVER_LOGGER);
                assertThat(errors.getFirst().getFormattedMessage())
                        .contains(pid.toString())
                        .contains("Last message: CrashCall[text=the request]")
                        .contains("bad call: the request");
            });
        }
    }

    @Test
    void aStopWithAReasonOtherThanNormalOrShutdownLogsOneReport() {
        try (LogCapture log = LogCapture.start()) {
            InProcess.run(() -> {
                Pid pid = GenServer.start(new Server(false)).orThrow();
                Ref ref = Kernel.monitor(pid);
                GenServer.cast(pid, new Server.Quit(ExitReason.other("inconsistent_state")));
                assertThat(expect(downOf(ref)).reason()).isEqualTo(ExitReason.other("inconsistent_state"));
                List<ILoggingEvent> errors = log.at(Level.ERROR);
                assertThat(errors).hasSize(1);
                assertThat(errors.getFirst().getLoggerName()).isEqualTo(GEN_SERVER_LOGGER);
                assertThat(errors.getFirst().getFormattedMessage())
                        .contains("Reason: inconsistent_state")
                        .contains("Last message: Quit[reason=inconsistent_state]");
            });
        }
    }

    @Test
    void aTerminateThatThrowsAfterANormalStopLogsOneReport() {
        try (LogCapture log = LogCapture.start()) {
            InProcess.run(() -> {
                Pid pid = GenServer.start(new FailingTerminate()).orThrow();
                assertThat(exitReasonOf(() -> GenServer.stop(pid))).isInstanceOf(ExitReason.Crash.class);
                List<ILoggingEvent> errors = log.at(Level.ERROR);
                assertThat(errors).hasSize(1);
                assertThat(errors.getFirst().getLoggerName()).isEqualTo(GEN_SERVER_LOGGER);
                assertThat(errors.getFirst().getThrowableProxy().getMessage()).isEqualTo("terminate failed");
            });
        }
    }

    @Test
    void normalAndShutdownStopsLogNothingAtErrorLevel() {
        try (LogCapture log = LogCapture.start()) {
            InProcess.run(() -> {
                for (ExitReason reason :
                        List.of(ExitReason.NORMAL, ExitReason.SHUTDOWN, ExitReason.shutdown("maintenance"))) {
                    Pid stopped = GenServer.start(new Server(false)).orThrow();
                    GenServer.stop(stopped, reason, Duration.ofSeconds(5));

                    Pid quits = GenServer.start(new Server(false)).orThrow();
                    Ref ref = Kernel.monitor(quits);
                    GenServer.cast(quits, new Server.Quit(reason));
                    assertThat(expect(downOf(ref)).reason()).isEqualTo(reason);

                    Pid trapping = GenServer.start(new Server(true)).orThrow();
                    Ref trappingRef = Kernel.monitor(trapping);
                    Kernel.exit(trapping, reason); // from its parent: terminate, then exit
                    assertThat(expect(downOf(trappingRef)).reason()).isEqualTo(reason);
                }
                Pid test = Kernel.self();
                Pid parent = Kernel.spawn(() -> {
                    Kernel.send(test, GenServer.startLink(new Server(false)).orThrow());
                    Kernel.receive(Match.equalTo("go"));
                    Kernel.exit(ExitReason.SHUTDOWN);
                });
                Pid linked = expect(Match.type(Pid.class));
                Ref ref = Kernel.monitor(linked);
                Kernel.send(parent, "go");
                assertThat(expect(downOf(ref)).reason()).isEqualTo(ExitReason.SHUTDOWN);
            });
            assertThat(log.at(Level.ERROR)).isEmpty();
            assertThat(log.events()).noneMatch(e -> e.getLoggerName().equals(PROCESS_LOGGER));
        }
    }

    @Test
    void aKilledServerLogsNothing() {
        try (LogCapture log = LogCapture.start()) {
            InProcess.run(() -> {
                Pid pid = GenServer.start(new Server(true)).orThrow();
                Ref ref = Kernel.monitor(pid);
                Kernel.exit(pid, ExitReason.KILL);
                assertThat(expect(downOf(ref)).reason()).isEqualTo(ExitReason.KILLED);
            });
            assertThat(log.at(Level.ERROR)).isEmpty();
        }
    }

    @Test
    void aServerTakenDownByALinkedCrashLogsNothingItself() {
        try (LogCapture log = LogCapture.start()) {
            InProcess.run(() -> {
                Pid test = Kernel.self();
                Pid crasher = Kernel.spawn(() -> {
                    Kernel.send(test, GenServer.startLink(new Server(false)).orThrow());
                    Kernel.receive(Match.equalTo("crash"));
                    throw new IllegalStateException("the linked process crashed");
                });
                Pid server = expect(Match.type(Pid.class));
                Ref ref = Kernel.monitor(server);
                Kernel.send(crasher, "crash");
                assertThat(expect(downOf(ref)).reason()).isInstanceOf(ExitReason.Crash.class);
                List<ILoggingEvent> errors = log.at(Level.ERROR);
                assertThat(errors).hasSize(1); // the crasher's own report
                assertThat(errors.getFirst().getLoggerName()).isEqualTo(PROCESS_LOGGER);
                assertThat(errors.getFirst().getFormattedMessage())
                        .contains(crasher.toString())
                        .doesNotContain(server.toString());
            });
        }
    }

    @Test
    void theDefaultDescribeCutsTheStateAtAThousandCharacters() {
        GenServer<Object, String> server = new FailingTerminate();
        assertThat(server.describe("short")).isEqualTo("short");
        assertThat(server.describe("x".repeat(5_000))).isEqualTo("x".repeat(1_000) + "…");
    }
}
