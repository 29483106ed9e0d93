package dev.trellis.otp;

import static dev.trellis.otp.ServerTesting.downOf;
import static dev.trellis.otp.ServerTesting.exitReasonOf;
import static dev.trellis.otp.ServerTesting.expect;
import static dev.trellis.otp.ServerTesting.refute;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/// `sys`-style debugging of a running server: state, suspend/resume, statistics (sys_SUITE,
/// gen_server_SUITE's sys cases).
@ExtendWith(SupervisionLeakCheck.class)
class SysTest {

    record Counter(Pid test) implements GenServer<Counter.Msg, Integer> {
        sealed interface Msg {}

        record Add(int k) implements Msg {}

        record Get() implements Msg, Call<Integer> {}

        record Terminated(ExitReason reason) {}

        @Override
        public Init<Integer> init() {
            return Init.ok(0);
        }

        @Override
        public Next<Integer> handle(Msg msg, Integer n) {
            return switch (msg) {
                case Add a -> Next.noreply(n + a.k());
                case Get g -> Next.reply(g, n, n);
            };
        }

        @Override
        public Next<Integer> handleInfo(Object message, Integer n) {
            return Next.noreply(n);
        }

        @Override
        public void terminate(ExitReason reason, Integer n) {
            Kernel.send(test, new Terminated(reason));
        }
    }

    private static Pid startCounter() {
        return GenServer.start(new Counter(Kernel.self())).orThrow();
    }

    @Test
    void getStateReturnsTheStateOfTheServer() {
        InProcess.run(() -> {
            Pid pid = startCounter();
            GenServer.cast(pid, new Counter.Add(5));
            assertThat(Sys.getState(pid)).isEqualTo(5);
            GenServer.stop(pid);
        });
    }

    @Test
    void replaceStateRunsInsideTheServerAndReturnsTheNewState() {
        InProcess.run(() -> {
            Pid test = Kernel.self();
            Pid pid = startCounter();
            GenServer.cast(pid, new Counter.Add(5));
            Integer replaced = Sys.replaceState(pid, (Integer n) -> {
                Kernel.send(test, Kernel.self());
                return n * 10;
            });
            assertThat(replaced).isEqualTo(50);
            assertThat(expect(Match.type(Pid.class))).isEqualTo(pid);
            assertThat(GenServer.call(pid, new Counter.Get())).isEqualTo(50);
            GenServer.stop(pid);
        });
    }

    @Test
    void aReplaceThatThrowsCrashesTheServer() {
        InProcess.run(() -> {
            Pid pid = startCounter();
            Ref ref = Kernel.monitor(pid);
            IllegalStateException boom = new IllegalStateException("replace failed");
            assertThat(exitReasonOf(() -> Sys.replaceState(pid, (Integer n) -> {
                        throw boom;
                    })))
                    .isEqualTo(ExitReason.crash(boom));
            assertThat(expect(downOf(ref)).reason()).isEqualTo(ExitReason.crash(boom));
        });
    }

    @Test
    void aSuspendedServerQueuesCallsAndCastsAndHandlesThemInOrderAfterResume() {
        InProcess.run(() -> {
            Pid test = Kernel.self();
            Pid pid = startCounter();
            Sys.suspend(pid);
            GenServer.cast(pid, new Counter.Add(1));
            Kernel.spawn(() -> Kernel.send(test, GenServer.call(pid, new Counter.Get())));
            Awaitility.await("the call is queued")
                    .atMost(ServerTesting.WAIT)
                    .pollInterval(Duration.ofMillis(1))
                    .until(() -> Kernel.processInfo(pid).orElseThrow().mailboxLength() >= 2);
            refute(Match.type(Integer.class));
            assertThat(Sys.getState(pid))
                    .as("system calls work while suspended")
                    .isEqualTo(0);
            assertThat(Sys.statistics(pid).suspended()).isTrue();
            Sys.resume(pid);
            assertThat(expect(Match.type(Integer.class))).isEqualTo(1);
            assertThat(Sys.statistics(pid).suspended()).isFalse();
            GenServer.stop(pid);
        });
    }

    @Test
    void aSuspendedServerIsKilledByAnExitSignalWithoutHandlingWhatIsQueued() {
        InProcess.run(() -> {
            Pid pid = startCounter();
            Sys.suspend(pid);
            GenServer.cast(pid, new Counter.Add(1));
            Ref ref = Kernel.monitor(pid);
            Kernel.exit(pid, ExitReason.other("gone"));
            assertThat(expect(downOf(ref)).reason()).isEqualTo(ExitReason.other("gone"));
            refute(Match.type(Counter.Terminated.class));
        });
    }

    @Test
    void stoppingASuspendedServerRunsTerminate() {
        InProcess.run(() -> {
            Pid pid = startCounter();
            Sys.suspend(pid);
            GenServer.stop(pid);
            assertThat(Kernel.receive(Match.type(Counter.Terminated.class), Duration.ZERO))
                    .contains(new Counter.Terminated(ExitReason.NORMAL));
        });
    }

    @Test
    void aSuspendedServerThatTrapsExitsStillStopsWhenItsParentExits() {
        InProcess.run(() -> {
            Kernel.trapExit(true);
            Pid sup =
                    Supervisor.startLink(List.of(), SupervisorFlags.oneForOne()).orThrow();
            Sys.suspend(sup);
            Ref ref = Kernel.monitor(sup);
            Kernel.exit(sup, ExitReason.SHUTDOWN); // from its parent: sys:suspend_loop handles it
            assertThat(expect(downOf(ref)).reason()).isEqualTo(ExitReason.SHUTDOWN);
        });
    }

    @Test
    void statisticsCountCallsCastsInfosAndUptimeOnTheServersClock() {
        ManualClock clock = new ManualClock();
        InProcess.run(
                () -> {
                    Pid pid = startCounter();
                    GenServer.call(pid, new Counter.Get());
                    GenServer.cast(pid, new Counter.Add(1));
                    GenServer.cast(pid, new Counter.Add(2));
                    GenServer.call(pid, new Counter.Get());
                    GenServer.cast(pid, new Counter.Add(3));
                    Kernel.send(pid, "an info message");
                    Sys.getState(pid); // system calls are not counted as calls
                    clock.advance(Duration.ofSeconds(3));
                    Sys.Statistics stats = Sys.statistics(pid);
                    assertThat(stats).isEqualTo(new Sys.Statistics(Duration.ofSeconds(3), 8, 2, 3, 1, false));
                    GenServer.stop(pid);
                },
                SpawnOptions.defaults().clock(clock));
    }

    @Test
    void sysOnADeadProcessExitsWithNoproc() {
        InProcess.run(() -> {
            Pid pid = startCounter();
            GenServer.stop(pid);
            assertThat(exitReasonOf(() -> Sys.getState(pid))).isEqualTo(ExitReason.NOPROC);
            assertThat(exitReasonOf(() -> Sys.suspend(pid))).isEqualTo(ExitReason.NOPROC);
            assertThat(exitReasonOf(() -> Sys.statistics(pid))).isEqualTo(ExitReason.NOPROC);
        });
    }

    @Test
    void sysWorksFromAPlainThread() {
        Pid pid = GenServer.start(new Counter(Kernel.spawn(() -> {}))).orThrow();
        GenServer.cast(pid, new Counter.Add(2));
        Sys.suspend(pid);
        assertThat(Sys.replaceState(pid, (Integer n) -> n + 1)).isEqualTo(3);
        Sys.resume(pid);
        assertThat(Sys.getState(pid)).isEqualTo(3);
        GenServer.stop(pid);
    }
}
