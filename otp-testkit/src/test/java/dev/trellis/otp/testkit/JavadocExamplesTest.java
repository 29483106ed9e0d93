package dev.trellis.otp.testkit;

import static dev.trellis.otp.testkit.OtpAssertions.assertReceive;
import static dev.trellis.otp.testkit.OtpAssertions.refuteReceive;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.otp.Kernel;
import dev.trellis.otp.ManualClock;
import dev.trellis.otp.Match;
import dev.trellis.otp.Pid;
import java.time.Duration;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/// The code examples of the Javadoc of [OtpTest] and [OtpAssertions], run as written. The
/// examples of [Probe] run in `ProbeTest`; the one of [Supervised] is how every kv-store test
/// starts its tree.
@OtpTest
class JavadocExamplesTest {

    record Greeting(String text) {}

    @Test
    void theOtpAssertionsExample() {
        Kernel.send(Kernel.self(), new Greeting("hi"));
        Greeting g = assertReceive(Match.type(Greeting.class));
        refuteReceive(Match.any());

        assertThat(g.text()).isEqualTo("hi");
    }

    @Test
    void theOtpTestExampleEchoes() {
        Pid echo = Kernel.spawnLink(() -> {
            Pid from = (Pid) Kernel.receive();
            Kernel.send(from, "hi");
        });
        Kernel.send(echo, Kernel.self());
        assertReceive(Match.equalTo("hi"));
    }

    @Test
    void theOtpTestExampleTimesOut(ManualClock clock) { // the root process and its children run on this clock
        Pid self = Kernel.self();
        Kernel.spawnLink(() -> {
            Optional<Object> m = Kernel.receive(Duration.ofSeconds(5));
            Kernel.send(self, m.isEmpty() ? "timed out" : "got one");
        });
        Awaitility.await().until(() -> clock.pendingTimers() == 1);
        clock.advance(Duration.ofSeconds(5));
        assertReceive(Match.equalTo("timed out"));
    }
}
