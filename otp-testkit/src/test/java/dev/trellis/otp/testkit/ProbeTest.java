package dev.trellis.otp.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trellis.otp.Kernel;
import dev.trellis.otp.Match;
import dev.trellis.otp.Pid;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@OtpTest
class ProbeTest {
    record Event(int n) {}

    @Test
    void theJavadocExampleWorks() {
        try (Probe probe = Probe.start()) {
            Kernel.send(probe.pid(), 42); // the code under test sends to probe.pid()
            Kernel.send(probe.pid(), "hello");
            assertThat(probe.expect(Match.type(String.class))).isEqualTo("hello");
            assertThat(probe.messages()).containsExactly(42);
            probe.refute(Match.any());
        }
    }

    @Test
    void expectReceivesWhatAnotherProcessSendsToThePid() {
        try (Probe probe = Probe.start()) {
            Pid to = probe.pid();
            Kernel.spawn(() -> Kernel.send(to, new Event(7)));
            assertThat(probe.expect(Match.type(Event.class))).isEqualTo(new Event(7));
        }
    }

    @Test
    void expectTakesTheFirstMatchAndLeavesTheOthersQueuedInOrder() {
        try (Probe probe = Probe.start()) {
            for (int i = 1; i <= 4; i++) {
                Kernel.send(probe.pid(), new Event(i));
            }
            Match<Event> even = m -> m instanceof Event e && e.n() % 2 == 0 ? e : null;
            assertThat(probe.expect(even)).isEqualTo(new Event(2));
            assertThat(probe.messages()).containsExactly(new Event(1), new Event(3), new Event(4));
        }
    }

    @Test
    void expectFailsListingWhatTheProbeHolds() {
        try (Probe probe = Probe.start()) {
            Kernel.send(probe.pid(), new Event(1));
            assertThatThrownBy(() -> probe.expect(Match.type(String.class), Duration.ofMillis(20)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("Event[n=1]");
        }
    }

    @Test
    void refuteFailsOnAMatchingMessageAndPassesOtherwise() {
        try (Probe probe = Probe.start()) {
            Kernel.send(probe.pid(), new Event(1));
            probe.refute(Match.type(String.class), Duration.ofMillis(20));
            assertThatThrownBy(() -> probe.refute(Match.type(Event.class)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("Event[n=1]");
        }
    }

    @Test
    void aPlainThreadCanDriveAProbeAndCloseStopsIt() throws Exception {
        CompletableFuture<Pid> stopped = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            Probe probe = Probe.start();
            Kernel.send(probe.pid(), new Event(5));
            if (probe.expect(Match.type(Event.class)).n() == 5) {
                probe.close();
                stopped.complete(probe.pid());
            }
        });
        assertThat(Kernel.isAlive(stopped.get(10, TimeUnit.SECONDS))).isFalse();
    }
}
