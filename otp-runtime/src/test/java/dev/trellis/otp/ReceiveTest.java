package dev.trellis.otp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/// Send and selective receive.
class ReceiveTest {

    private record Msg(int sender, int seq) {}

    private record Reply(Ref ref, String value) {}

    @Test
    void perPairOrderHoldsUnderSixteenConcurrentSenders() {
        InProcess.run(() -> {
            int senders = 16;
            int each = 5_000;
            Pid test = Kernel.self();
            CountDownLatch go = new CountDownLatch(1);
            for (int s = 0; s < senders; s++) {
                int sender = s;
                Kernel.spawn(() -> {
                    go.await();
                    for (int i = 0; i < each; i++) {
                        Kernel.send(test, new Msg(sender, i));
                    }
                });
            }
            go.countDown();
            int[] next = new int[senders];
            for (int n = 0; n < senders * each; n++) {
                Msg m = InProcess.expect(Match.type(Msg.class));
                assertThat(m.seq()).as("message from sender %d", m.sender()).isEqualTo(next[m.sender()]);
                next[m.sender()]++;
            }
        });
    }

    @Test
    void selectiveReceiveLeavesTheOtherMessagesInOrder() {
        InProcess.run(() -> {
            Pid self = Kernel.self();
            for (int i = 0; i < 10; i++) {
                Kernel.send(self, i);
            }
            Kernel.send(self, "wanted");
            assertThat(InProcess.expect(Match.equalTo("wanted"))).isEqualTo("wanted");
            assertThat(InProcess.expect(Match.equalTo(5))).isEqualTo(5);
            List<Object> rest = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                rest.add(Kernel.receive(Duration.ZERO).orElseThrow());
            }
            assertThat(rest).containsExactly(0, 1, 2, 3, 4, 6, 7, 8, 9);
            assertThat(Kernel.receive(Duration.ZERO)).isEmpty();
        });
    }

    @Test
    void aZeroTimeoutOnlyLooksAtWhatIsQueued() {
        InProcess.run(() -> {
            assertThat(Kernel.receive(Duration.ZERO)).isEmpty();
            Kernel.send(Kernel.self(), "here");
            assertThat(Kernel.receive(Duration.ZERO)).contains("here");
        });
    }

    @Test
    void aReceiveTimesOutOnTheManualClockOnlyWhenItIsAdvanced() {
        ManualClock clock = new ManualClock();
        InProcess.run(
                () -> {
                    Pid test = Kernel.self();
                    Pid waiter = Kernel.spawnLink(() -> {
                        var got = Kernel.receive(Match.equalTo("never"), Duration.ofSeconds(5));
                        Kernel.send(test, got.isEmpty() ? "timed out" : "got it");
                    });
                    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> clock.pendingTimers() == 1);
                    clock.advance(Duration.ofSeconds(4));
                    assertThat(Kernel.receive(Match.any(), Duration.ofMillis(50), Clock.system()))
                            .isEmpty();
                    clock.advance(Duration.ofSeconds(1));
                    assertThat(Kernel.receive(Match.any(), Duration.ofSeconds(5), Clock.system()))
                            .contains("timed out");
                    Signals.awaitExit(waiter);
                },
                SpawnOptions.defaults().clock(clock));
    }

    @Test
    void sleepKeepsMessagesQueuedAndEndsOnTheManualClock() {
        ManualClock clock = new ManualClock();
        InProcess.run(
                () -> {
                    Pid test = Kernel.self();
                    Pid sleeper = Kernel.spawnLink(() -> {
                        Kernel.sleep(Duration.ofMinutes(1));
                        Kernel.send(test, Kernel.receive(Duration.ZERO).orElse("empty"));
                    });
                    Kernel.send(sleeper, "queued while sleeping");
                    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> clock.pendingTimers() == 1);
                    clock.advance(Duration.ofMinutes(1));
                    assertThat(Kernel.receive(Match.any(), Duration.ofSeconds(5), Clock.system()))
                            .contains("queued while sleeping");
                },
                SpawnOptions.defaults().clock(clock));
    }

    @Test
    void aReplyIsFoundBehindTheMarkerWith100000UnrelatedMessagesQueued() {
        InProcess.run(() -> {
            Pid self = Kernel.self();
            for (int i = 0; i < 100_000; i++) {
                Kernel.send(self, i);
            }
            Pid echo = Kernel.spawnLink(() -> {
                Reply r = Kernel.receive(Match.type(Reply.class));
                Kernel.send(self, new Reply(r.ref(), "pong"));
            });
            Ref ref = Kernel.makeRef();
            Kernel.send(echo, new Reply(ref, "ping"));
            Reply reply = Kernel.receive(
                            ref, m -> m instanceof Reply r && r.ref() == ref ? r : null, Duration.ofSeconds(5))
                    .orElseThrow();
            assertThat(reply.value()).isEqualTo("pong");
            assertThat(Kernel.processInfo(self).orElseThrow().mailboxLength()).isEqualTo(100_000);
            for (int i = 0; i < 100_000; i++) {
                assertThat(Kernel.receive(Duration.ZERO)).contains(i);
            }
        });
    }

    @Test
    void aReceiveWithAnOlderReferenceStillScansTheWholeMailbox() {
        InProcess.run(() -> {
            Ref old = Kernel.makeRef();
            Kernel.send(Kernel.self(), new Reply(old, "before newer ref"));
            Ref newer = Kernel.makeRef();
            assertThat(newer).isNotEqualTo(old);
            Reply r = Kernel.receive(old, m -> m instanceof Reply x && x.ref() == old ? x : null, Duration.ZERO)
                    .orElseThrow();
            assertThat(r.value()).isEqualTo("before newer ref");
        });
    }

    @Test
    void messagesQueuedBeforeTheMarkerAreNotSeenByAMarkedReceive() {
        InProcess.run(() -> {
            Kernel.send(Kernel.self(), "early");
            Ref ref = Kernel.makeRef();
            assertThat(Kernel.receive(ref, Match.equalTo("early"), Duration.ZERO))
                    .isEmpty();
            assertThat(Kernel.receive(Match.equalTo("early"), Duration.ZERO)).contains("early");
        });
    }

    @Test
    void sendingToADeadProcessIsSilentlyDropped() {
        InProcess.run(() -> {
            Pid dead = Kernel.spawn(() -> {});
            Signals.awaitExit(dead);
            long before = Kernel.statistics().messages();
            Kernel.send(dead, "lost");
            assertThat(Kernel.statistics().messages()).isEqualTo(before);
        });
    }

    @Test
    void aThrowingPatternLeavesTheMailboxIntact() {
        InProcess.run(() -> {
            Kernel.send(Kernel.self(), "a");
            Kernel.send(Kernel.self(), "b");
            try {
                Kernel.receive(
                        m -> {
                            throw new IllegalStateException("bad pattern");
                        },
                        Duration.ZERO);
            } catch (IllegalStateException expected) {
                // the pattern's exception propagates
            }
            assertThat(Kernel.receive(Duration.ZERO)).contains("a");
            assertThat(Kernel.receive(Duration.ZERO)).contains("b");
        });
    }
}
