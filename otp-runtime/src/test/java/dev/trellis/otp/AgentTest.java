package dev.trellis.otp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/// After Elixir's agent_test.exs.
class AgentTest {

    @Test
    void theJavadocExampleWorks() {
        InProcess.run(() -> {
            Pid counter = Agent.start(() -> 0).orThrow();
            Agent.update(counter, (Integer n) -> n + 1);
            int n = Agent.get(counter, (Integer s) -> s);
            int old = Agent.getAndUpdate(counter, (Integer s) -> Agent.result(s, s + 10));
            Agent.cast(counter, (Integer s) -> s * 2);
            assertThat(n).isEqualTo(1);
            assertThat(old).isEqualTo(1);
            assertThat(Agent.get(counter, (Integer s) -> s)).isEqualTo(22);
            Agent.stop(counter);
            assertThat(Kernel.isAlive(counter)).isFalse();
        });
    }

    @Test
    void theStateNeverLeavesTheAgentOnlyWhatTheFunctionReturns() {
        InProcess.run(() -> {
            Pid agent = Agent.start(HashMap<String, Integer>::new).orThrow();
            Agent.update(agent, (Map<String, Integer> m) -> {
                m.put("eggs", 3);
                return m;
            });
            int eggs = Agent.get(agent, (Map<String, Integer> m) -> m.getOrDefault("eggs", 0));
            assertThat(eggs).isEqualTo(3);
            Map<String, Integer> copy = Agent.get(agent, (Map<String, Integer> m) -> Map.copyOf(m));
            assertThat(copy).containsEntry("eggs", 3);
            Agent.stop(agent);
        });
    }

    @Test
    void aFunctionThatThrowsCrashesTheAgentAndTheCallerGetsTheCrash() {
        InProcess.run(() -> {
            Pid agent = Agent.start(() -> 1).orThrow();
            Ref ref = Kernel.monitor(agent);
            assertThatThrownBy(() -> Agent.get(agent, (Integer s) -> {
                        throw new IllegalStateException("bad function");
                    }))
                    .isInstanceOfSatisfying(
                            ExitException.class, e -> assertThat(e.reason()).isInstanceOf(ExitReason.Crash.class));
            assertThat(InProcess.expect(Signals.downOf(ref)).reason()).isInstanceOf(ExitReason.Crash.class);
        });
    }

    @Test
    void callsToADeadAgentExitWithNoproc() {
        InProcess.run(() -> {
            Pid agent = Agent.start(() -> 1).orThrow();
            Agent.stop(agent);
            assertThatThrownBy(() -> Agent.get(agent, (Integer s) -> s))
                    .isInstanceOfSatisfying(
                            ExitException.class, e -> assertThat(e.reason()).isEqualTo(ExitReason.NOPROC));
        });
    }

    @Test
    void getTimesOutOnTheCallersClock() {
        ManualClock clock = new ManualClock();
        InProcess.run(
                () -> {
                    Pid agent = Agent.start(() -> 1).orThrow();
                    Sys.suspend(agent);
                    Pid test = Kernel.self();
                    Pid caller = Kernel.spawnLink(() -> {
                        try {
                            Agent.get(agent, (Integer s) -> s, Duration.ofSeconds(2));
                            Kernel.send(test, "answered");
                        } catch (ExitException e) {
                            Kernel.send(test, e.reason());
                        }
                    });
                    org.awaitility.Awaitility.await()
                            .atMost(Duration.ofSeconds(5))
                            .until(() -> clock.pendingTimers() == 1);
                    clock.advance(Duration.ofSeconds(2));
                    assertThat(Kernel.receive(Match.any(), Duration.ofSeconds(5), Clock.system()))
                            .contains(GenServer.TIMEOUT);
                    Signals.awaitExit(caller);
                    Sys.resume(agent);
                    Agent.stop(agent);
                },
                SpawnOptions.defaults().clock(clock));
    }

    @Test
    void aNamedAgentIsReachableByName() {
        InProcess.run(() -> {
            Pid agent = Agent.start(() -> "v", StartOptions.defaults().name("agent_test_named"))
                    .orThrow();
            assertThat(Kernel.whereis("agent_test_named")).contains(agent);
            assertThat(Agent.start(() -> "w", StartOptions.defaults().name("agent_test_named")))
                    .isEqualTo(new StartResult.AlreadyStarted(agent));
            Agent.stop(agent);
            assertThat(Kernel.whereis("agent_test_named")).isEmpty();
        });
    }

    @Test
    void stopWithAReasonEndsTheAgentWithIt() {
        InProcess.run(() -> {
            Pid agent = Agent.start(() -> 1).orThrow();
            Ref ref = Kernel.monitor(agent);
            Agent.stop(agent, ExitReason.SHUTDOWN, Duration.ofSeconds(5));
            assertThat(InProcess.expect(Signals.downOf(ref)).reason()).isEqualTo(ExitReason.SHUTDOWN);
        });
    }
}
