package dev.trellis.otp.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/// Runs a sample test class on the JUnit engine, from a plain thread outside any process, so the
/// testkit's behaviour around a whole test (root process, leak check, stops) can be asserted.
final class Samples {
    private Samples() {}

    static Events run(Class<?> sample) {
        AtomicReference<Events> events = new AtomicReference<>();
        Thread t = Thread.ofPlatform()
                .start(() -> events.set(EngineTestKit.engine("junit-jupiter")
                        .selectors(selectClass(sample))
                        .execute()
                        .testEvents()));
        try {
            t.join(Duration.ofSeconds(60));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertThat(events.get()).as("sample run finished").isNotNull();
        return events.get();
    }
}
