package dev.trellis.otp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChildSpecTest {

    /// A behaviour exposing its default spec, as Elixir's `use Agent, restart: :temporary`.
    static final class Bucket implements GenServer<Bucket.Msg, Integer> {
        sealed interface Msg {}

        record Get() implements Msg, Call<Integer> {}

        static StartResult startLink() {
            return GenServer.startLink(new Bucket());
        }

        static ChildSpec childSpec() {
            return ChildSpec.worker(Bucket.class, Bucket::startLink).restart(ChildSpec.Restart.TEMPORARY);
        }

        @Override
        public Init<Integer> init() {
            return Init.ok(0);
        }

        @Override
        public Next<Integer> handle(Msg msg, Integer n) {
            return switch (msg) {
                case Get g -> Next.reply(g, n, n);
            };
        }
    }

    @Test
    void bucketsAreTemporaryWorkers() { // the guide's test "are temporary workers"
        assertThat(Bucket.childSpec().restart()).isEqualTo(ChildSpec.Restart.TEMPORARY);
        assertThat(Bucket.childSpec().type()).isEqualTo(ChildSpec.Type.WORKER);
        assertThat(Bucket.childSpec().id()).isEqualTo(Bucket.class);
    }

    @Test
    void aWorkerIsPermanentWithAFiveSecondShutdownAndNotSignificant() {
        ChildSpec spec = ChildSpec.worker("w", () -> new StartResult.Ignore());
        assertThat(spec.restart()).isEqualTo(ChildSpec.Restart.PERMANENT);
        assertThat(spec.shutdown()).isEqualTo(ChildSpec.Shutdown.timeout(Duration.ofSeconds(5)));
        assertThat(spec.type()).isEqualTo(ChildSpec.Type.WORKER);
        assertThat(spec.isSignificant()).isFalse();
    }

    @Test
    void aSupervisorIsPermanentWithAnInfiniteShutdown() {
        ChildSpec spec = ChildSpec.supervisor("s", () -> new StartResult.Ignore());
        assertThat(spec.restart()).isEqualTo(ChildSpec.Restart.PERMANENT);
        assertThat(spec.shutdown()).isEqualTo(ChildSpec.Shutdown.infinity());
        assertThat(spec.type()).isEqualTo(ChildSpec.Type.SUPERVISOR);
        assertThat(Supervisor.childSpec("tree", List.of(), SupervisorFlags.oneForOne())
                        .shutdown())
                .isEqualTo(ChildSpec.Shutdown.infinity());
        assertThat(DynamicSupervisor.childSpec("dyn", DynamicSupervisorFlags.defaults(), StartOptions.defaults())
                        .type())
                .isEqualTo(ChildSpec.Type.SUPERVISOR);
    }

    @Test
    void withersChangeOneComponentAndKeepTheOthers() {
        ChildSpec base = ChildSpec.worker("w", () -> new StartResult.Ignore());
        ChildSpec changed = base.restart(ChildSpec.Restart.TRANSIENT)
                .shutdown(ChildSpec.Shutdown.brutalKill())
                .significant()
                .id("v");
        assertThat(changed.id()).isEqualTo("v");
        assertThat(changed.restart()).isEqualTo(ChildSpec.Restart.TRANSIENT);
        assertThat(changed.shutdown()).isEqualTo(ChildSpec.Shutdown.brutalKill());
        assertThat(changed.isSignificant()).isTrue();
        assertThat(changed.start()).isSameAs(base.start());
        assertThat(changed.type()).isEqualTo(base.type());
        assertThat(base.shutdown(Duration.ofMillis(10)).shutdown())
                .isEqualTo(new ChildSpec.Shutdown.Timeout(Duration.ofMillis(10)));
        assertThat(changed.significant(false).isSignificant()).isFalse();
    }

    @Test
    void aNegativeShutdownTimeoutIsRejected() {
        assertThatThrownBy(() -> ChildSpec.Shutdown.timeout(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theStartFunctionReceivesTheExtraArguments() throws Exception {
        ChildSpec spec = ChildSpec.worker("w", extra -> new StartResult.Failed(ExitReason.other(extra)));
        assertThat(spec.start().start(List.of("a", 1)))
                .isEqualTo(new StartResult.Failed(ExitReason.other(List.of("a", 1))));
        ChildSpec plain = ChildSpec.worker("p", () -> new StartResult.Ignore());
        assertThat(plain.start().start(List.of("ignored"))).isEqualTo(new StartResult.Ignore());
    }

    @Test
    void supervisorFlagsDefaultToThreeRestartsInFiveSecondsWithoutAutoShutdown() {
        SupervisorFlags flags = SupervisorFlags.oneForOne();
        assertThat(flags.strategy()).isEqualTo(SupervisorFlags.Strategy.ONE_FOR_ONE);
        assertThat(flags.intensity()).isEqualTo(3);
        assertThat(flags.period()).isEqualTo(Duration.ofSeconds(5));
        assertThat(flags.autoShutdown()).isEqualTo(SupervisorFlags.AutoShutdown.NEVER);
        assertThat(SupervisorFlags.oneForAll().strategy()).isEqualTo(SupervisorFlags.Strategy.ONE_FOR_ALL);
        assertThat(SupervisorFlags.restForOne().strategy()).isEqualTo(SupervisorFlags.Strategy.REST_FOR_ONE);
        assertThatThrownBy(() -> flags.intensity(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> flags.period(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void dynamicSupervisorFlagsDefaultToThreeRestartsInFiveSecondsAndNoLimit() {
        DynamicSupervisorFlags flags = DynamicSupervisorFlags.defaults();
        assertThat(flags.maxRestarts()).isEqualTo(3);
        assertThat(flags.maxSeconds()).isEqualTo(Duration.ofSeconds(5));
        assertThat(flags.maxChildren()).isEqualTo(DynamicSupervisorFlags.INFINITY);
        assertThat(flags.extraArguments()).isEmpty();
        assertThatThrownBy(() -> flags.maxChildren(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> flags.maxRestarts(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> flags.maxSeconds(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
