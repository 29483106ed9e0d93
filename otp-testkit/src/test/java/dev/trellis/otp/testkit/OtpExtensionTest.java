package dev.trellis.otp.testkit;

import static dev.trellis.otp.testkit.OtpAssertions.assertReceive;
import static dev.trellis.otp.testkit.OtpAssertions.refuteReceive;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.otp.Clock;
import dev.trellis.otp.Down;
import dev.trellis.otp.ExitReason;
import dev.trellis.otp.Kernel;
import dev.trellis.otp.ManualClock;
import dev.trellis.otp.Match;
import dev.trellis.otp.Pid;
import dev.trellis.otp.Ref;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

@OtpTest
class OtpExtensionTest {

    /// Processes started by the samples below, inspected after their run.
    static final AtomicReference<Pid> SAMPLE_PID = new AtomicReference<>();

    @Test
    void testBodyRunsInsideAProcess() {
        assertThat(Kernel.inProcess()).isTrue();
        Kernel.send(Kernel.self(), "hello");
        assertThat(assertReceive(Match.equalTo("hello"))).isEqualTo("hello");
    }

    @Test
    void aManualClockParameterBecomesTheClockOfTheTestProcessAndItsChildren(ManualClock clock) {
        assertThat(Kernel.clock()).isSameAs(clock);
        Pid self = Kernel.self();
        Pid child = Kernel.spawnLink(() -> {
            Optional<Object> m = Kernel.receive(Duration.ofSeconds(30));
            Kernel.send(self, m.isEmpty() ? "timed out" : "got " + m.get());
        });
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> clock.pendingTimers() == 1);
        refuteReceive(Match.any());
        clock.advance(Duration.ofSeconds(30));
        assertReceive(Match.equalTo("timed out"));
        Ref ref = Kernel.monitor(child);
        assertReceive(m -> m instanceof Down d && d.ref() == ref ? d : null);
    }

    @Test
    void assertReceiveWaitsInRealTimeEvenOnAManualClock(ManualClock clock) {
        assertThat(Kernel.clock()).isSameAs(clock);
        long start = System.nanoTime();
        refuteReceive(Match.any(), Duration.ofMillis(50));
        assertThat(System.nanoTime() - start)
                .isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());
    }

    @Test
    void aFailedAssertReceiveListsTheMailbox() {
        Kernel.send(Kernel.self(), "unrelated");
        AssertionErrorCatcher.assertFails(
                () -> assertReceive(Match.equalTo("expected"), Duration.ofMillis(20)), "unrelated");
    }

    @Test
    void assertReceivedOnlyLooksAtQueuedMessages() {
        Kernel.send(Kernel.self(), 1);
        assertThat(OtpAssertions.assertReceived(Match.type(Integer.class))).isEqualTo(1);
        AssertionErrorCatcher.assertFails(() -> OtpAssertions.assertReceived(Match.any()), "no matching message");
    }

    @Test
    void refuteReceiveFailsWhenTheMessageArrives() {
        Kernel.send(Kernel.self(), "surprise");
        AssertionErrorCatcher.assertFails(() -> refuteReceive(Match.any()), "surprise");
    }

    @Test
    void processesLinkedToTheTestGoDownWithIt() {
        Events events = run(LinkedChildSample.class);
        events.assertStatistics(s -> s.succeeded(1).failed(0));
        Pid child = SAMPLE_PID.get();
        assertThat(Kernel.isAlive(child)).isFalse();
    }

    @Test
    void aLeakedProcessFailsTheTestAndIsKilled() {
        Events events = run(LeakedProcessSample.class);
        events.assertStatistics(s -> s.failed(1));
        assertThat(failureMessage(events)).contains("leaked 1 process").contains("leaky worker");
        assertThat(Kernel.isAlive(SAMPLE_PID.get())).isFalse();
    }

    @Test
    void aLeakedNameFailsTheTest() {
        Events events = run(LeakedNameSample.class);
        events.assertStatistics(s -> s.failed(1));
        assertThat(failureMessage(events)).contains("leaky-name");
    }

    @Test
    void aLeakedTimerFailsTheTest() {
        Events events = run(LeakedTimerSample.class);
        events.assertStatistics(s -> s.failed(1));
        assertThat(failureMessage(events)).contains("pending timers: 1");
    }

    @Test
    void aFailingAssertionInTheTestProcessFailsTheTest() {
        Events events = run(FailingSample.class);
        events.assertStatistics(s -> s.failed(1));
        assertThat(failureMessage(events)).contains("expected failure");
    }

    /// Runs `sample` on the JUnit engine from outside any process and returns its test events.
    private static Events run(Class<?> sample) {
        System.setProperty("trellis.testkit.leakGraceMs", "300");
        try {
            return Samples.run(sample);
        } finally {
            System.clearProperty("trellis.testkit.leakGraceMs");
        }
    }

    private static String failureMessage(Events events) {
        return events.failed().stream()
                .map(e -> e.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                        .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable)
                        .map(Throwable::getMessage)
                        .orElse(""))
                .findFirst()
                .orElse("");
    }

    @OtpTest
    static class LinkedChildSample {
        @Test
        void startsALinkedChild() {
            SAMPLE_PID.set(Kernel.spawnLink(Kernel::receive));
        }
    }

    @OtpTest
    static class LeakedProcessSample {
        @Test
        void leavesAnUnlinkedProcess() {
            SAMPLE_PID.set(Kernel.spawn(
                            Kernel::receive,
                            dev.trellis.otp.SpawnOptions.defaults().label("leaky worker"))
                    .pid());
        }
    }

    @OtpTest
    static class LeakedNameSample {
        @Test
        void registersAnUnlinkedProcess() {
            Pid p = Kernel.spawnLink(Kernel::receive);
            Kernel.unlink(p);
            Kernel.register("leaky-name", p);
            SAMPLE_PID.set(p);
        }
    }

    @OtpTest
    static class LeakedTimerSample {
        @Test
        void startsATimerToAnUnlinkedProcess() {
            Pid p = Kernel.spawn(Kernel::receive);
            SAMPLE_PID.set(p);
            Kernel.sendAfter(p, "late", Duration.ofHours(1));
            Kernel.exit(p, ExitReason.KILL);
            // The timer dies with its target; a timer to a live unlinked process is the leak:
            Kernel.sendAfter(Kernel.spawn(Kernel::receive), "late", Duration.ofHours(1));
        }
    }

    @OtpTest
    static class FailingSample {
        @Test
        void fails() {
            assertThat(Clock.system()).as("expected failure").isNull();
        }
    }
}
