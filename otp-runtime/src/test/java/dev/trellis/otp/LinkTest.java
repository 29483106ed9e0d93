package dev.trellis.otp;

import static dev.trellis.otp.Signals.awaitExit;
import static dev.trellis.otp.Signals.exitFrom;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/// Links, after erl_link_SUITE.
class LinkTest {
    private static final ExitReason BOOM = ExitReason.other("boom");

    private record Victims(List<Pid> pids) {}

    @Test
    void aDyingProcessSignalsTheProcessesThatTrapExitsBeforeThoseItKills() {
        InProcess.run(() -> {
            Kernel.trapExit(true);
            Pid test = Kernel.self();
            Pid dying = Kernel.spawn(() -> {
                List<Pid> victims = new ArrayList<>();
                for (int i = 0; i < 1_000; i++) {
                    victims.add(Kernel.spawnLink(Kernel::receive));
                }
                Kernel.link(test);
                Kernel.send(test, new Victims(victims));
                Kernel.receive(Match.equalTo("go"));
                Kernel.exit(BOOM);
            });
            List<Pid> victims = InProcess.expect(Match.type(Victims.class)).pids();
            List<Ref> monitors = victims.stream().map(Kernel::monitor).toList();
            Kernel.send(dying, "go");
            // Its Exit is queued here before any victim is even signalled, so before every Down.
            Object first = Kernel.receive(Match.any(), Duration.ofSeconds(30)).orElseThrow();
            assertThat(first).isEqualTo(new Exit(dying, BOOM));
            for (Ref m : monitors) {
                assertThat(InProcess.expect(Signals.downOf(m)).reason()).isEqualTo(BOOM);
            }
        });
    }

    @Test
    void aNonNormalExitKillsNonTrappingLinkedProcessesWithTheSameReason() {
        InProcess.run(() -> {
            Pid test = Kernel.self();
            Pid linked = Kernel.spawn(Kernel::receive);
            Pid dying = Kernel.spawn(() -> {
                Kernel.link(linked);
                Kernel.send(test, "linked");
                Kernel.receive(Match.equalTo("go"));
                Kernel.exit(BOOM);
            });
            Ref ref = Kernel.monitor(linked);
            InProcess.expect(Match.equalTo("linked"));
            Kernel.send(dying, "go");
            assertThat(InProcess.expect(Signals.downOf(ref)).reason()).isEqualTo(BOOM);
        });
    }

    @Test
    void aNormalExitDoesNotPropagateOverLinks() {
        InProcess.run(() -> {
            Pid test = Kernel.self();
            Pid survivor = Kernel.spawn(() -> Kernel.receive(Match.equalTo("stop")));
            Pid dying = Kernel.spawn(() -> {
                Kernel.link(survivor);
                Kernel.send(test, "linked");
                Kernel.receive(Match.equalTo("go"));
            });
            InProcess.expect(Match.equalTo("linked"));
            Ref dyingRef = Kernel.monitor(dying);
            Ref survivorRef = Kernel.monitor(survivor);
            Kernel.send(dying, "go");
            assertThat(InProcess.expect(Signals.downOf(dyingRef)).reason()).isEqualTo(ExitReason.NORMAL);
            assertThat(Kernel.isAlive(survivor)).isTrue();
            assertThat(Kernel.processInfo(survivor).orElseThrow().links()).isEmpty();
            Kernel.send(survivor, "stop");
            assertThat(InProcess.expect(Signals.downOf(survivorRef)).reason()).isEqualTo(ExitReason.NORMAL);
        });
    }

    @Test
    void aTrappingProcessReceivesLinkedExitsAsMessagesIncludingNormal() {
        InProcess.run(() -> {
            Kernel.trapExit(true);
            Pid normal = Kernel.spawnLink(() -> {});
            assertThat(InProcess.expect(exitFrom(normal)).reason()).isEqualTo(ExitReason.NORMAL);
            Pid crashing = Kernel.spawnLink(() -> {
                throw new IllegalStateException("boom");
            });
            Exit e = InProcess.expect(exitFrom(crashing));
            assertThat(e.reason())
                    .isInstanceOfSatisfying(
                            ExitReason.Crash.class,
                            c -> assertThat(c.exception()).hasMessage("boom"));
            assertThat(Kernel.isAlive(Kernel.self())).isTrue();
        });
    }

    @Test
    void linksAreBidirectional() {
        InProcess.run(() -> {
            Kernel.trapExit(true);
            Pid child = Kernel.spawnLink(Kernel::receive);
            Pid grandchild = Kernel.spawn(Kernel::receive);
            Kernel.send(child, "ignored"); // child ends normally; link from our side is enough
            assertThat(InProcess.expect(exitFrom(child)).reason()).isEqualTo(ExitReason.NORMAL);
            // The other direction: we exit non-normally, a linked non-trapping process dies.
            Pid watcher = Kernel.self();
            Pid parent = Kernel.spawn(() -> {
                Kernel.link(grandchild);
                Kernel.send(watcher, "linked");
                Kernel.receive(Match.equalTo("die"));
                Kernel.exit(BOOM);
            });
            InProcess.expect(Match.equalTo("linked"));
            Ref ref = Kernel.monitor(grandchild);
            Kernel.send(parent, "die");
            assertThat(InProcess.expect(Signals.downOf(ref)).reason()).isEqualTo(BOOM);
        });
    }

    @Test
    void killIsUntrappableAndLinkedProcessesSeeKilled() {
        InProcess.run(() -> {
            Kernel.trapExit(true);
            Pid victim = Kernel.spawnLink(() -> {
                Kernel.trapExit(true);
                Kernel.receive(Match.equalTo("never"));
            });
            Ref ref = Kernel.monitor(victim);
            Kernel.exit(victim, ExitReason.KILL);
            assertThat(InProcess.expect(Signals.downOf(ref)).reason()).isEqualTo(ExitReason.KILLED);
            assertThat(InProcess.expect(exitFrom(victim)).reason()).isEqualTo(ExitReason.KILLED);
        });
    }

    @Test
    void linkingToADeadProcessRaisesNoprocWhenNotTrapping() {
        InProcess.run(() -> {
            Pid dead = Kernel.spawn(() -> {});
            awaitExit(dead);
            assertThatThrownBy(() -> Kernel.link(dead))
                    .isInstanceOfSatisfying(
                            ExitException.class, e -> assertThat(e.reason()).isEqualTo(ExitReason.NOPROC));
            assertThat(Kernel.processInfo(Kernel.self()).orElseThrow().links()).isEmpty();
        });
    }

    @Test
    void linkingToADeadProcessSendsExitNoprocWhenTrapping() {
        InProcess.run(() -> {
            Kernel.trapExit(true);
            Pid dead = Kernel.spawn(() -> {});
            awaitExit(dead);
            Kernel.link(dead);
            assertThat(InProcess.expect(exitFrom(dead)).reason()).isEqualTo(ExitReason.NOPROC);
        });
    }

    @Test
    void linkingToSelfDoesNothing() {
        InProcess.run(() -> {
            Kernel.link(Kernel.self());
            assertThat(Kernel.processInfo(Kernel.self()).orElseThrow().links()).isEmpty();
        });
    }

    @Test
    void noExitArrivesAfterUnlinkReturnsEvenRacingTheLinkedProcessesExit() {
        InProcess.run(() -> {
            Kernel.trapExit(true);
            for (int i = 0; i < 1000; i++) {
                Pid target = Kernel.spawn(() -> {
                    Kernel.receive(Match.equalTo("go"));
                    Kernel.exit(BOOM);
                });
                Ref ref = Kernel.monitor(target);
                Kernel.link(target);
                Kernel.send(target, "go");
                Kernel.unlink(target);
                // Whatever was queued before unlink returned may stay; take it out now.
                Kernel.receive(exitFrom(target), Duration.ZERO);
                // Once the target is certainly dead, nothing more may come from the link.
                InProcess.expect(Signals.downOf(ref));
                assertThat(Kernel.receive(exitFrom(target), Duration.ZERO)).isEmpty();
            }
            assertThat(Kernel.processInfo(Kernel.self()).orElseThrow().links()).isEmpty();
        });
    }

    @Test
    void linkingTwiceIsOneLinkThatOneUnlinkRemoves() {
        InProcess.run(() -> {
            Kernel.trapExit(true);
            Pid other = Kernel.spawn(() -> Kernel.receive(Match.equalTo("go")));
            Kernel.link(other);
            Kernel.link(other);
            assertThat(Kernel.processInfo(Kernel.self()).orElseThrow().links()).containsExactly(other);
            Kernel.unlink(other);
            assertThat(Kernel.processInfo(Kernel.self()).orElseThrow().links()).isEmpty();
            Ref ref = Kernel.monitor(other);
            Kernel.send(other, "go");
            InProcess.expect(Signals.downOf(ref));
            assertThat(Kernel.receive(exitFrom(other), Duration.ZERO)).isEmpty();
        });
    }

    @Test
    void eachOfSeveralLinksLastsUntilItsOwnUnlinkOrExit() {
        InProcess.run(() -> {
            Kernel.trapExit(true);
            List<Pid> others = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                others.add(Kernel.spawnLink(
                        () -> Kernel.exit(ExitReason.other(Kernel.receive(Match.type(String.class))))));
            }
            assertThat(Kernel.processInfo(Kernel.self()).orElseThrow().links()).containsExactlyElementsOf(others);
            Kernel.unlink(others.get(0));
            Kernel.unlink(others.get(1));
            assertThat(Kernel.processInfo(Kernel.self()).orElseThrow().links()).containsExactly(others.get(2));
            Kernel.link(others.get(1)); // back to two
            for (Pid p : others) {
                Kernel.send(p, "bye");
            }
            assertThat(InProcess.expect(exitFrom(others.get(1))).reason()).isEqualTo(ExitReason.other("bye"));
            assertThat(InProcess.expect(exitFrom(others.get(2))).reason()).isEqualTo(ExitReason.other("bye"));
            awaitExit(others.get(0));
            assertThat(Kernel.receive(exitFrom(others.get(0)), Duration.ZERO)).isEmpty();
            assertThat(Kernel.processInfo(Kernel.self()).orElseThrow().links()).isEmpty();
        });
    }

    @Test
    void unlinkRemovesBothSides() {
        InProcess.run(() -> {
            Pid other = Kernel.spawnLink(Kernel::receive);
            assertThat(Kernel.processInfo(other).orElseThrow().links()).containsExactly(Kernel.self());
            Kernel.unlink(other);
            assertThat(Kernel.processInfo(other).orElseThrow().links()).isEmpty();
            assertThat(Kernel.processInfo(Kernel.self()).orElseThrow().links()).isEmpty();
            Kernel.exit(other, ExitReason.KILL);
            awaitExit(other);
        });
    }
}
