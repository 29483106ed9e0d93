package dev.trellis.otp;

import static dev.trellis.otp.Signals.downOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/// Monitors, after erl_link_SUITE and the monitor cases of erts' process tests.
class MonitorTest {

    @Test
    void exactlyOneDownArrivesPerMonitorAndMonitorsStack() {
        InProcess.run(() -> {
            Pid p = Kernel.spawn(() -> Kernel.receive(Match.equalTo("stop")));
            Ref a = Kernel.monitor(p);
            Ref b = Kernel.monitor(p);
            assertThat(a).isNotEqualTo(b);
            Kernel.send(p, "stop");
            assertThat(InProcess.expect(downOf(a)).reason()).isEqualTo(ExitReason.NORMAL);
            assertThat(InProcess.expect(downOf(b)).pid()).isEqualTo(p);
            assertThat(Kernel.receive(Match.type(Down.class), Duration.ofMillis(50)))
                    .isEmpty();
        });
    }

    @Test
    void downsGoOutInTheOrderTheMonitorsWereSetUp() {
        // The guide's race fix relies on it: the registry monitors a bucket before a client that
        // stops it, so the registry's Down is queued before the client's, and a call the client
        // makes after its Down is queued behind the registry's Down.
        // (GuideExamplesTest.aDeadBucketGivesACleanError failed under load while Downs went out
        // in hash order.) Two monitors of one process show the order in its mailbox.
        InProcess.run(() -> {
            for (int i = 0; i < 50; i++) {
                Pid target = Kernel.spawn(() -> Kernel.receive(Match.equalTo("stop")));
                List<Ref> refs = new ArrayList<>();
                for (int m = 0; m < 4; m++) {
                    refs.add(Kernel.monitor(target));
                }
                Kernel.send(target, "stop");
                for (Ref expected : refs) {
                    assertThat(InProcess.expect(Match.type(Down.class)).ref()).isSameAs(expected);
                }
            }
        });
    }

    @Test
    void monitoringADeadProcessGivesDownNoprocAtOnce() {
        InProcess.run(() -> {
            Pid dead = Kernel.spawn(() -> {});
            Signals.awaitExit(dead);
            Ref ref = Kernel.monitor(dead);
            Down d = Kernel.receive(downOf(ref), Duration.ZERO).orElseThrow();
            assertThat(d.reason()).isEqualTo(ExitReason.NOPROC);
            assertThat(d.pid()).isEqualTo(dead);
        });
    }

    @Test
    void demonitorReturnsTrueWhileActiveAndFalseOnceFired() {
        InProcess.run(() -> {
            Pid p = Kernel.spawn(() -> Kernel.receive(Match.equalTo("stop")));
            Ref active = Kernel.monitor(p);
            assertThat(Kernel.demonitor(active)).isTrue();
            assertThat(Kernel.demonitor(active)).isFalse();
            Ref fired = Kernel.monitor(p);
            Kernel.send(p, "stop");
            InProcess.expect(downOf(fired));
            assertThat(Kernel.demonitor(fired, true)).isFalse();
            assertThat(Kernel.processInfo(Kernel.self()).orElseThrow().mailboxLength())
                    .isZero();
        });
    }

    @Test
    void demonitorWithFlushLeavesNoDownEvenRacingTheExit() {
        InProcess.run(() -> {
            for (int i = 0; i < 1000; i++) {
                Pid p = Kernel.spawn(() -> Kernel.receive(Match.equalTo("go")));
                Ref ref = Kernel.monitor(p);
                Ref sure = Kernel.monitor(p);
                Kernel.send(p, "go");
                Kernel.demonitor(ref, true);
                InProcess.expect(downOf(sure));
                assertThat(Kernel.receive(downOf(ref), Duration.ZERO)).isEmpty();
            }
        });
    }

    @Test
    void demonitorRemovesTheMonitorFromTheTarget() {
        InProcess.run(() -> {
            Pid p = Kernel.spawn(() -> Kernel.receive(Match.equalTo("stop")));
            Ref ref = Kernel.monitor(p);
            assertThat(Kernel.processInfo(p).orElseThrow().monitoredBy()).containsExactly(Kernel.self());
            Kernel.demonitor(ref);
            assertThat(Kernel.processInfo(p).orElseThrow().monitoredBy()).isEmpty();
            Kernel.send(p, "stop");
            Signals.awaitExit(p);
            assertThat(Kernel.receive(downOf(ref), Duration.ofMillis(20))).isEmpty();
        });
    }

    @Test
    void messagesSentBeforeDeathArriveBeforeTheDown() {
        InProcess.run(() -> {
            Pid test = Kernel.self();
            for (int round = 0; round < 100; round++) {
                Pid p = Kernel.spawn(() -> {
                    Kernel.receive(Match.equalTo("go"));
                    for (int i = 0; i < 10; i++) {
                        Kernel.send(test, i);
                    }
                    throw new IllegalStateException("after sending");
                });
                Ref ref = Kernel.monitor(p);
                Kernel.send(p, "go");
                InProcess.expect(downOf(ref));
                List<Object> before = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    before.add(Kernel.receive(Match.type(Integer.class), Duration.ZERO)
                            .orElseThrow());
                }
                assertThat(before).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
            }
        });
    }

    @Test
    void messagesSentBeforeDeathArriveBeforeTheExitOfALink() {
        InProcess.run(() -> {
            Kernel.trapExit(true);
            Pid test = Kernel.self();
            Pid p = Kernel.spawnLink(() -> {
                Kernel.send(test, "last words");
                Kernel.exit(ExitReason.other("bye"));
            });
            Object first = InProcess.expect(m -> m instanceof Exit || m.equals("last words") ? m : null);
            assertThat(first).isEqualTo("last words");
            assertThat(InProcess.expect(Signals.exitFrom(p)).reason()).isEqualTo(ExitReason.other("bye"));
        });
    }

    @Test
    void spawnMonitorMonitorsBeforeTheProcessRuns() {
        InProcess.run(() -> {
            Spawned s = Kernel.spawnMonitor(() -> {});
            Ref ref = s.ref();
            assertThat(InProcess.expect(downOf(ref)).reason()).isEqualTo(ExitReason.NORMAL);
        });
    }
}
