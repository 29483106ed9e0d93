package dev.trellis.otp;

import static dev.trellis.otp.ServerTesting.awaitExit;
import static dev.trellis.otp.ServerTesting.exitReasonOf;
import static dev.trellis.otp.ServerTesting.expect;
import static dev.trellis.otp.ServerTesting.refute;
import static dev.trellis.otp.ServerTesting.refuteQueued;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/// Synchronous calls: typed replies, failures (noproc, the server's crash, calling self),
/// deferred replies, calls from plain threads, calls with a long mailbox (gen_server_SUITE's
/// call cases, Elixir's "call/3 exit messages"). Call timeouts are in [GenServerTimeoutTest].
@ExtendWith(SupervisionLeakCheck.class)
class GenServerCallTest {

    private static final String NAME = "gen_server_call_test";

    static final class Server implements GenServer<Server.Msg, Integer> {
        sealed interface Msg {}

        record Echo(String text) implements Msg, Call<String> {}

        record Length(String text) implements Msg, Call<Integer> {}

        record Bump() implements Msg {}

        record Crash(RuntimeException exception) implements Msg, Call<String> {}

        record CallSelf() implements Msg, Call<ExitReason> {}

        record CallSelfByName() implements Msg, Call<ExitReason> {}

        /// Replied to by another process, through the From of `replyLater`.
        record Defer(Pid test, String text) implements Msg, Call<String> {}

        /// `replyLater` with a request other than the one being handled.
        record ReplyLaterForAnother() implements Msg, Call<String> {}

        /// `replyLater` while handling a cast.
        record ReplyLaterInACast(Pid test) implements Msg {}

        @Override
        public Init<Integer> init() {
            return Init.ok(0);
        }

        @Override
        public Next<Integer> handle(Msg msg, Integer n) {
            return switch (msg) {
                case Echo e -> Next.reply(e, e.text(), n + 1);
                case Length l -> Next.reply(l, l.text().length(), n + 1);
                case Bump b -> Next.noreply(n + 1);
                case Crash c -> throw c.exception();
                case CallSelf c -> Next.reply(c, exitReasonOf(() -> GenServer.call(Kernel.self(), new Echo("me"))), n);
                case CallSelfByName c ->
                    Next.reply(c, exitReasonOf(() -> GenServer.call(Name.local(NAME), new Echo("me"))), n);
                case Defer d -> {
                    From<String> from = GenServer.replyLater(d);
                    Kernel.send(d.test(), from);
                    Kernel.spawn(() -> {
                        boolean first = from.reply(d.text().toUpperCase(java.util.Locale.ROOT));
                        boolean second = from.reply("second reply");
                        Kernel.send(d.test(), new Replied(first, second));
                    });
                    yield Next.noreply(n);
                }
                case ReplyLaterForAnother r -> {
                    String outcome;
                    try {
                        GenServer.replyLater(new Echo("not the one being handled"));
                        outcome = "allowed";
                    } catch (IllegalStateException e) {
                        outcome = "refused";
                    }
                    yield Next.reply(r, outcome, n);
                }
                case ReplyLaterInACast c -> {
                    try {
                        GenServer.replyLater(new Echo("a cast has no caller"));
                        Kernel.send(c.test(), "allowed");
                    } catch (IllegalStateException e) {
                        Kernel.send(c.test(), "refused");
                    }
                    yield Next.noreply(n);
                }
            };
        }
    }

    /// What the deferred replies returned.
    record Replied(boolean first, boolean second) {}

    @Test
    void aCallReturnsTheReplyTypedByItsRequest() {
        InProcess.run(() -> {
            Pid pid = GenServer.start(new Server()).orThrow();
            String echoed = GenServer.call(pid, new Server.Echo("hello"));
            int length = GenServer.call(pid, new Server.Length("four"), Duration.ofSeconds(1));
            assertThat(echoed).isEqualTo("hello");
            assertThat(length).isEqualTo(4);
            assertThat(Sys.getState(pid)).isEqualTo(2);
            refuteQueued(Match.any()); // no Down of the call monitors, no stray replies
            GenServer.stop(pid);
        });
    }

    @Test
    void aCallToADeadPidExitsWithNoproc() {
        InProcess.run(() -> {
            Pid pid = GenServer.start(new Server()).orThrow();
            GenServer.stop(pid);
            assertThat(exitReasonOf(() -> GenServer.call(pid, new Server.Echo("anyone?"))))
                    .isEqualTo(ExitReason.NOPROC);
            refuteQueued(Match.any());
        });
    }

    @Test
    void aCallToAnUnregisteredNameExitsWithNoproc() {
        InProcess.run(() -> assertThat(exitReasonOf(() -> GenServer.call(Name.local(NAME), new Server.Echo("anyone?"))))
                .isEqualTo(ExitReason.NOPROC));
    }

    @Test
    void aCallByNameReachesTheRegisteredServer() {
        InProcess.run(() -> {
            Pid pid = GenServer.start(new Server(), StartOptions.defaults().name(NAME))
                    .orThrow();
            assertThat(GenServer.call(Name.local(NAME), new Server.Echo("by name")))
                    .isEqualTo("by name");
            GenServer.stop(pid);
        });
    }

    @Test
    void aServerCrashingDuringTheCallExitsTheCallerWithTheCrash() {
        InProcess.run(() -> {
            Pid pid = GenServer.start(new Server()).orThrow();
            IllegalStateException boom = new IllegalStateException("crashed while handling the call");
            ExitReason reason = exitReasonOf(() -> GenServer.call(pid, new Server.Crash(boom)));
            assertThat(reason)
                    .isInstanceOfSatisfying(
                            ExitReason.Crash.class,
                            c -> assertThat(c.exception()).isSameAs(boom));
            assertThat(Kernel.isAlive(pid)).isFalse();
            refuteQueued(Match.any());
        });
    }

    @Test
    void aCallToItselfFailsFastWithCallingSelf() {
        InProcess.run(() -> {
            Pid pid = GenServer.start(new Server(), StartOptions.defaults().name(NAME))
                    .orThrow();
            ExitReason callingSelf = ExitReason.other("calling_self");
            assertThat(GenServer.call(pid, new Server.CallSelf(), Duration.ofSeconds(1)))
                    .isEqualTo(callingSelf);
            assertThat(GenServer.call(pid, new Server.CallSelfByName(), Duration.ofSeconds(1)))
                    .isEqualTo(callingSelf);
            assertThat(GenServer.call(pid, new Server.Echo("still serving"))).isEqualTo("still serving");
            GenServer.stop(pid);
        });
    }

    @Test
    void aDeferredReplyFromAnotherProcessReachesTheCallerOnce() {
        InProcess.run(() -> {
            Pid pid = GenServer.start(new Server()).orThrow();
            assertThat(GenServer.call(pid, new Server.Defer(Kernel.self(), "later")))
                    .isEqualTo("LATER");
            From<?> from = expect(Match.type(From.class));
            assertThat(from.pid()).isEqualTo(Kernel.self());
            assertThat(expect(Match.type(Replied.class))).isEqualTo(new Replied(true, false));
            refute(m -> m instanceof GenMessages.Reply ? m : null); // the second reply was dropped
            GenServer.stop(pid);
        });
    }

    @Test
    void replyLaterOutsideTheHandlingOfThatCallThrows() {
        InProcess.run(() -> {
            assertThatThrownBy(() -> GenServer.replyLater(new Server.Echo("no server here")))
                    .isInstanceOf(IllegalStateException.class);
            Pid pid = GenServer.start(new Server()).orThrow();
            assertThat(GenServer.call(pid, new Server.ReplyLaterForAnother())).isEqualTo("refused");
            GenServer.cast(pid, new Server.ReplyLaterInACast(Kernel.self()));
            expect("refused");
            GenServer.stop(pid);
        });
    }

    @Test
    void startCallCastAndStopWorkFromAPlainThread() {
        Pid pid = GenServer.start(new Server()).orThrow();
        String echoed = GenServer.call(pid, new Server.Echo("from a plain thread"));
        assertThat(echoed).isEqualTo("from a plain thread");
        GenServer.cast(pid, new Server.Bump());
        assertThat(Sys.getState(pid)).isEqualTo(2);
        GenServer.stop(pid);
        assertThat(Kernel.isAlive(pid)).isFalse();
        assertThatThrownBy(() -> GenServer.call(pid, new Server.Echo("gone")))
                .isInstanceOfSatisfying(
                        ExitException.class, e -> assertThat(e.reason()).isEqualTo(ExitReason.NOPROC));
    }

    @Test
    void aCallReturnsTheRightReplyWithAHundredThousandUnrelatedMessagesQueuedAndLeavesThemInOrder() {
        InProcess.run(() -> {
            Pid pid = GenServer.start(new Server()).orThrow();
            int n = 100_000;
            for (int i = 0; i < n; i++) {
                Kernel.send(Kernel.self(), i);
            }
            assertThat(GenServer.call(pid, new Server.Echo("found"))).isEqualTo("found");
            assertThat(GenServer.call(pid, new Server.Length("12345"))).isEqualTo(5);
            assertThat(Kernel.processInfo(Kernel.self()).orElseThrow().mailboxLength())
                    .isEqualTo(n);
            for (int i = 0; i < n; i++) {
                Object m = Kernel.receive(Duration.ZERO).orElseThrow();
                if (!Integer.valueOf(i).equals(m)) {
                    throw new AssertionError("message " + i + " was " + m);
                }
            }
            refuteQueued(Match.any());
            GenServer.stop(pid);
        });
    }

    @Test
    void aCallFromAPlainThreadToACrashingServerThrowsTheCrash() {
        Pid pid = GenServer.start(new Server()).orThrow();
        IllegalArgumentException boom = new IllegalArgumentException("bad request");
        assertThatThrownBy(() -> GenServer.call(pid, new Server.Crash(boom)))
                .isInstanceOfSatisfying(
                        ExitException.class, e -> assertThat(e.reason()).isEqualTo(ExitReason.crash(boom)));
        InProcess.run(() -> assertThat(awaitExit(pid)).isEqualTo(ExitReason.NOPROC));
    }
}
