package dev.trellis.otp;

import static dev.trellis.otp.ServerTesting.attempt;
import static dev.trellis.otp.ServerTesting.awaitTimers;
import static dev.trellis.otp.ServerTesting.downOf;
import static dev.trellis.otp.ServerTesting.exitReasonOf;
import static dev.trellis.otp.ServerTesting.expect;
import static dev.trellis.otp.ServerTesting.outcomeOf;
import static dev.trellis.otp.ServerTesting.refute;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/// Call, stop and idle timeouts, on a [ManualClock]: every test process and server here runs on
/// it, and the tests wait in real time only for messages (gen_server_SUITE's call timeout and
/// timeout cases).
@ExtendWith(SupervisionLeakCheck.class)
class GenServerTimeoutTest {

    /// Holds calls until told to reply; forwards info messages; idle timeouts on request.
    record Server(Pid test, @Nullable Duration initIdle) implements GenServer<Server.Msg, List<From<String>>> {
        sealed interface Msg {}

        /// Not replied to until [Release].
        record Hold() implements Msg, Call<String> {}

        /// Replies `value` to every held call; tells the test what each reply returned.
        record Release(String value) implements Msg {}

        record IdleAfterReply(Duration idle) implements Msg, Call<String> {}

        record IdleAfterCast(Duration idle) implements Msg {}

        record Released(List<Boolean> delivered) {}

        record Info(Object message) {}

        /// An info message the server answers by arming a 1 s idle timeout.
        static final String REARM = "rearm";

        @Override
        public Init<List<From<String>>> init() {
            Init.Ok<List<From<String>>> ok = Init.ok(List.of());
            return initIdle == null ? ok : ok.idleTimeout(initIdle);
        }

        @Override
        public Next<List<From<String>>> handle(Msg msg, List<From<String>> held) {
            return switch (msg) {
                case Hold h -> {
                    List<From<String>> more = new ArrayList<>(held);
                    more.add(GenServer.replyLater(h));
                    yield Next.noreply(List.copyOf(more));
                }
                case Release r -> {
                    Kernel.send(
                            test,
                            new Released(
                                    held.stream().map(f -> f.reply(r.value())).toList()));
                    yield Next.noreply(List.of());
                }
                case IdleAfterReply i -> Next.reply(i, "ok", held).idleTimeout(i.idle());
                case IdleAfterCast i -> Next.noreply(held).idleTimeout(i.idle());
            };
        }

        @Override
        public Next<List<From<String>>> handleInfo(Object message, List<From<String>> held) {
            Kernel.send(test, new Info(message));
            return message.equals(REARM) ? Next.noreply(held).idleTimeout(Duration.ofSeconds(1)) : Next.noreply(held);
        }
    }

    /// A server whose `terminate` waits for "finish".
    static final class SlowTerminate implements GenServer<Object, String> {
        @Override
        public Init<String> init() {
            return Init.ok("state");
        }

        @Override
        public Next<String> handle(Object msg, String state) {
            return Next.noreply(state);
        }

        @Override
        public void terminate(ExitReason reason, String state) {
            Kernel.receive(Match.equalTo("finish")); // no timeout: no timer on the clock
        }
    }

    private static final Server.Info TIMEOUT_INFO = new Server.Info(new GenServer.Timeout());

    private static void onManualClock(ManualClock clock, ServerTesting.Action body) {
        InProcess.run(body::run, SpawnOptions.defaults().clock(clock));
    }

    private static void awaitNoTimers(ManualClock clock) {
        Awaitility.await("no timers on the manual clock")
                .atMost(ServerTesting.WAIT)
                .pollInterval(Duration.ofMillis(1))
                .until(() -> clock.pendingTimers() == 0);
    }

    // ---- call timeout -------------------------------------------------------------------------

    @Test
    void aCallTimesOutAfterTheDefaultFiveSecondsWithTimeout() {
        ManualClock clock = new ManualClock();
        onManualClock(clock, () -> {
            Pid server = GenServer.start(new Server(Kernel.self(), null)).orThrow();
            Pid caller = attempt(() -> GenServer.call(server, new Server.Hold()));
            awaitTimers(clock, 1);
            clock.advance(Duration.ofMillis(4_999));
            refute(outcomeOf(caller));
            clock.advance(Duration.ofMillis(1));
            assertThat(expect(ServerTesting.threwBy(caller)).exitReason()).isEqualTo(GenServer.TIMEOUT);
            GenServer.stop(server);
        });
    }

    @Test
    void aLateReplyNeverReachesTheCallerAfterItsTimeout() {
        ManualClock clock = new ManualClock();
        onManualClock(clock, () -> {
            Pid test = Kernel.self();
            Pid server = GenServer.start(new Server(test, null)).orThrow();
            Pid caller = Kernel.spawn(() -> {
                ExitReason reason =
                        exitReasonOf(() -> GenServer.call(server, new Server.Hold(), Duration.ofSeconds(1)));
                Kernel.send(test, reason);
                Kernel.receive(Match.equalTo("check your mailbox"));
                Optional<Object> stray = Kernel.receive(Match.any(), ServerTesting.QUIET, Clock.system());
                Kernel.send(test, new Server.Info(stray));
            });
            awaitTimers(clock, 1);
            clock.advance(Duration.ofSeconds(1));
            assertThat(expect(Match.type(ExitReason.class))).isEqualTo(GenServer.TIMEOUT);
            GenServer.cast(server, new Server.Release("too late"));
            assertThat(expect(Match.type(Server.Released.class)).delivered()).containsExactly(false);
            Kernel.send(caller, "check your mailbox");
            assertThat(expect(Match.type(Server.Info.class))).isEqualTo(new Server.Info(Optional.empty()));
            GenServer.stop(server);
        });
    }

    @Test
    void aReplyInTimeCancelsTheCallTimeout() {
        ManualClock clock = new ManualClock();
        onManualClock(clock, () -> {
            Pid server = GenServer.start(new Server(Kernel.self(), null)).orThrow();
            Pid caller = attempt(
                    () -> assertThat(GenServer.call(server, new Server.Hold())).isEqualTo("in time"));
            awaitTimers(clock, 1);
            clock.advance(Duration.ofMillis(4_999));
            GenServer.cast(server, new Server.Release("in time"));
            assertThat(expect(Match.type(Server.Released.class)).delivered()).containsExactly(true);
            expect(ServerTesting.returnedBy(caller));
            awaitNoTimers(clock);
            GenServer.stop(server);
        });
    }

    // ---- stop timeout -------------------------------------------------------------------------

    @Test
    void stopExitsWithTimeoutWhenTerminateTakesLongerAndLeavesTheServerRunning() {
        ManualClock clock = new ManualClock();
        onManualClock(clock, () -> {
            Pid server = GenServer.start(new SlowTerminate()).orThrow();
            Pid stopper = attempt(() -> GenServer.stop(server, ExitReason.NORMAL, Duration.ofSeconds(1)));
            awaitTimers(clock, 1);
            clock.advance(Duration.ofMillis(999));
            refute(outcomeOf(stopper));
            clock.advance(Duration.ofMillis(1));
            assertThat(expect(ServerTesting.threwBy(stopper)).exitReason()).isEqualTo(GenServer.TIMEOUT);
            assertThat(Kernel.isAlive(server)).isTrue();
            Ref ref = Kernel.monitor(server);
            Kernel.send(server, "finish");
            assertThat(expect(downOf(ref)).reason()).isEqualTo(ExitReason.NORMAL);
        });
    }

    // ---- idle timeout -------------------------------------------------------------------------

    @Test
    void anIdleTimeoutFromInitDeliversTimeoutToHandleInfo() {
        ManualClock clock = new ManualClock();
        onManualClock(clock, () -> {
            Pid server = GenServer.start(new Server(Kernel.self(), Duration.ofSeconds(1)))
                    .orThrow();
            awaitTimers(clock, 1);
            clock.advance(Duration.ofMillis(999));
            refute(Match.type(Server.Info.class));
            clock.advance(Duration.ofMillis(1));
            expect(TIMEOUT_INFO);
            awaitNoTimers(clock); // handleInfo asked for no new timeout
            GenServer.stop(server);
        });
    }

    @Test
    void aServerWaitingOutAnIdleTimeoutIsKilledByAnExitSignalAtOnce() {
        ManualClock clock = new ManualClock();
        onManualClock(clock, () -> {
            Pid server = GenServer.start(new Server(Kernel.self(), Duration.ofSeconds(1)))
                    .orThrow();
            awaitTimers(clock, 1);
            Ref ref = Kernel.monitor(server);
            Kernel.exit(server, ExitReason.SHUTDOWN);
            assertThat(expect(downOf(ref)).reason()).isEqualTo(ExitReason.SHUTDOWN);
            refute(Match.type(Server.Info.class));
        });
    }

    @Test
    void aMessageBeforeTheIdleTimeoutPreventsIt() {
        ManualClock clock = new ManualClock();
        onManualClock(clock, () -> {
            Pid server = GenServer.start(new Server(Kernel.self(), Duration.ofSeconds(1)))
                    .orThrow();
            awaitTimers(clock, 1);
            clock.advance(Duration.ofMillis(500));
            Kernel.send(server, "hello");
            expect(new Server.Info("hello"));
            awaitNoTimers(clock);
            clock.advance(Duration.ofSeconds(2));
            refute(Match.equalTo(TIMEOUT_INFO));
            GenServer.stop(server);
        });
    }

    @Test
    void anIdleTimeoutCountsFromTheLastMessageWhenTheCallbackAsksAgain() {
        ManualClock clock = new ManualClock();
        onManualClock(clock, () -> {
            Pid server = GenServer.start(new Server(Kernel.self(), null)).orThrow();
            GenServer.cast(server, new Server.IdleAfterCast(Duration.ofSeconds(1)));
            awaitTimers(clock, 1);
            clock.advance(Duration.ofMillis(600));
            Kernel.send(server, Server.REARM);
            expect(new Server.Info(Server.REARM));
            awaitTimers(clock, 1);
            clock.advance(Duration.ofMillis(600));
            refute(Match.equalTo(TIMEOUT_INFO));
            clock.advance(Duration.ofMillis(400));
            expect(TIMEOUT_INFO);
            GenServer.stop(server);
        });
    }

    @Test
    void anIdleTimeoutAfterAReplyDeliversTimeout() {
        ManualClock clock = new ManualClock();
        onManualClock(clock, () -> {
            Pid server = GenServer.start(new Server(Kernel.self(), null)).orThrow();
            assertThat(GenServer.call(server, new Server.IdleAfterReply(Duration.ofSeconds(2))))
                    .isEqualTo("ok");
            awaitTimers(clock, 1);
            clock.advance(Duration.ofMillis(1_999));
            refute(Match.equalTo(TIMEOUT_INFO));
            clock.advance(Duration.ofMillis(1));
            expect(TIMEOUT_INFO);
            GenServer.stop(server);
        });
    }
}
