package dev.trellis.otp;

import static dev.trellis.otp.Signals.awaitExit;
import static dev.trellis.otp.Signals.downOf;
import static dev.trellis.otp.Signals.exitFrom;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/// `exit/2` and `exit/1`, after erl_link_SUITE's exit_signal cases.
class ExitSignalTest {

    @Test
    void normalIsIgnoredByANonTrappingProcess() {
        InProcess.run(() -> {
            Pid p = Kernel.spawn(() -> Kernel.receive(Match.equalTo("stop")));
            Kernel.exit(p, ExitReason.NORMAL);
            Ref ref = Kernel.monitor(p);
            Kernel.send(p, "stop");
            assertThat(InProcess.expect(downOf(ref)).reason()).isEqualTo(ExitReason.NORMAL);
        });
    }

    @Test
    void exitSelfNormalEndsTheCaller() {
        InProcess.run(() -> {
            Spawned s = Kernel.spawnMonitor(() -> {
                Kernel.exit(Kernel.self(), ExitReason.NORMAL);
                Kernel.exit(ExitReason.other("not reached"));
            });
            assertThat(InProcess.expect(downOf(s.ref())).reason()).isEqualTo(ExitReason.NORMAL);
        });
    }

    @Test
    void shutdownKillsANonTrappingProcess() {
        InProcess.run(() -> {
            Spawned s = Kernel.spawnMonitor(Kernel::receive);
            Kernel.exit(s.pid(), ExitReason.SHUTDOWN);
            assertThat(InProcess.expect(downOf(s.ref())).reason()).isEqualTo(ExitReason.SHUTDOWN);
        });
    }

    @Test
    void aTrappingProcessReceivesExitSignalsAsMessages() {
        InProcess.run(() -> {
            Pid test = Kernel.self();
            Pid p = Kernel.spawn(
                            () -> {
                                Exit e = Kernel.receive(Match.type(Exit.class));
                                Kernel.send(test, e);
                            },
                            SpawnOptions.defaults().trapExit())
                    .pid();
            Kernel.exit(p, ExitReason.shutdown("maintenance"));
            Exit e = InProcess.expect(Match.type(Exit.class));
            assertThat(e.from()).isEqualTo(test);
            assertThat(e.reason()).isEqualTo(ExitReason.shutdown("maintenance"));
        });
    }

    @Test
    void killKillsATrappingProcessWithReasonKilled() {
        InProcess.run(() -> {
            Spawned s = Kernel.spawn(
                    Kernel::receive, SpawnOptions.defaults().trapExit().monitor());
            Kernel.exit(s.pid(), ExitReason.KILL);
            assertThat(InProcess.expect(downOf(s.ref())).reason()).isEqualTo(ExitReason.KILLED);
        });
    }

    @Test
    void exitToADeadProcessDoesNothing() {
        InProcess.run(() -> {
            Pid dead = Kernel.spawn(() -> {});
            awaitExit(dead);
            Kernel.exit(dead, ExitReason.KILL);
            assertThat(Kernel.isAlive(dead)).isFalse();
        });
    }

    @Test
    void exitFromAPlainThreadComesFromTheExternalPid() {
        InProcess.run(() -> {
            Pid test = Kernel.self();
            Pid p = Kernel.spawn(
                            () -> Kernel.send(test, Kernel.receive(Match.type(Exit.class))),
                            SpawnOptions.defaults().trapExit())
                    .pid();
            Thread t = Thread.ofPlatform().start(() -> Kernel.exit(p, ExitReason.SHUTDOWN));
            t.join();
            Exit e = InProcess.expect(Match.type(Exit.class));
            assertThat(e.from().toString()).isEqualTo("<0.0.0>");
        });
    }

    @Test
    void anExitExceptionCaughtInsideStillEndsAKilledProcess() {
        InProcess.run(() -> {
            Pid test = Kernel.self();
            Spawned s = Kernel.spawnMonitor(() -> {
                try {
                    Kernel.send(test, "waiting");
                    Kernel.receive();
                } catch (ExitException swallowed) {
                    Kernel.send(test, "caught " + swallowed.reason());
                }
            });
            InProcess.expect(Match.equalTo("waiting"));
            Kernel.exit(s.pid(), ExitReason.other("stop now"));
            InProcess.expect(Match.equalTo("caught stop now"));
            assertThat(InProcess.expect(downOf(s.ref())).reason()).isEqualTo(ExitReason.other("stop now"));
        });
    }

    @Test
    void exitOneThrowsAnExitExceptionWithTheReason() {
        InProcess.run(() -> assertThatThrownBy(() -> Kernel.exit(ExitReason.other("x")))
                .isInstanceOfSatisfying(
                        ExitException.class, e -> assertThat(e.reason()).isEqualTo(ExitReason.other("x"))));
    }

    @Test
    void aLinkExitWithReasonKillIsAnOrdinaryTrappableReason() {
        InProcess.run(() -> {
            Kernel.trapExit(true);
            Pid p = Kernel.spawnLink(() -> Kernel.exit(ExitReason.KILL));
            assertThat(InProcess.expect(exitFrom(p)).reason()).isEqualTo(ExitReason.KILL);
            assertThat(Kernel.receive(Duration.ofMillis(10))).isEmpty();
        });
    }
}
