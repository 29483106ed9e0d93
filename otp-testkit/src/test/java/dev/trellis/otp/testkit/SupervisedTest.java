package dev.trellis.otp.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trellis.otp.Agent;
import dev.trellis.otp.ChildSpec;
import dev.trellis.otp.Exit;
import dev.trellis.otp.ExitReason;
import dev.trellis.otp.Kernel;
import dev.trellis.otp.Match;
import dev.trellis.otp.Pid;
import dev.trellis.otp.SpawnOptions;
import dev.trellis.otp.StartResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

@OtpTest
class SupervisedTest {
    static final List<String> STOPS = new CopyOnWriteArrayList<>();

    /// A process that records its own shutdown in STOPS (it traps exits, so it sees it).
    static ChildSpec recorder(String name) {
        return ChildSpec.worker(
                name,
                () -> new StartResult.Ok(Kernel.spawn(
                                () -> {
                                    Kernel.receive(Match.type(Exit.class));
                                    STOPS.add(name);
                                },
                                SpawnOptions.defaults().link().trapExit())
                        .pid()));
    }

    @Test
    void startSupervisedReturnsARunningChild() {
        Pid agent = Supervised.startSupervised(
                ChildSpec.worker("a", () -> Agent.startLink(() -> 41, dev.trellis.otp.StartOptions.defaults())));
        Agent.update(agent, (Integer n) -> n + 1);
        assertThat(Agent.get(agent, (Integer n) -> n)).isEqualTo(42);
    }

    @Test
    void aChildThatFailsToStartFailsTheTestWithTheReason() {
        assertThatThrownBy(() -> Supervised.startSupervised(
                        ChildSpec.worker("bad", () -> new StartResult.Failed(ExitReason.other("no way")))))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("no way");
    }

    @Test
    void stopSupervisedStopsTheChildNow() {
        Pid agent = Supervised.startSupervised(
                ChildSpec.worker("s", () -> Agent.startLink(() -> 1, dev.trellis.otp.StartOptions.defaults())));
        assertThat(Supervised.stopSupervised("s")).isTrue();
        assertThat(Kernel.isAlive(agent)).isFalse();
        assertThat(Supervised.stopSupervised("s")).isFalse();
    }

    @Test
    void startSupervisedOutsideTheTestProcessFails() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                Supervised.startSupervised(recorder("x"));
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.join(Duration.ofSeconds(10));
        assertThat(thrown.get()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void childrenAreStoppedInReverseOrderWhenTheTestEnds() {
        STOPS.clear();
        Samples.run(TwoChildrenSample.class)
                .assertStatistics(s -> s.succeeded(1).failed(0));
        assertThat(STOPS).containsExactly("second", "first");
    }

    @OtpTest
    static class TwoChildrenSample {
        @Test
        void startsTwo() {
            Supervised.startSupervised(recorder("first"));
            Supervised.startSupervised(recorder("second"));
        }
    }
}
