package dev.trellis.otp;

import static dev.trellis.otp.ServerTesting.expect;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/// Continue steps: `handleContinue` runs right after the callback that asked for it, before any
/// message already queued (gen_server_SUITE's continue cases).
@ExtendWith(SupervisionLeakCheck.class)
class GenServerContinueTest {

    /// Records what it handles, in order.
    record Server(boolean continueFromInit) implements GenServer<Server.Msg, List<String>> {
        sealed interface Msg {}

        record Log() implements Msg, Call<List<String>> {}

        record CastThenContinue(String cont) implements Msg {}

        record CallThenContinue(String cont) implements Msg, Call<String> {}

        @Override
        public Init<List<String>> init() {
            if (!continueFromInit) {
                return Init.ok(List.of("init"));
            }
            Kernel.send(Kernel.self(), "queued before the continue");
            return Init.ok(List.of("init")).thenContinue("from init");
        }

        @Override
        public Next<List<String>> handle(Msg msg, List<String> log) {
            return switch (msg) {
                case Log l -> Next.reply(l, log, log);
                case CastThenContinue c -> Next.noreply(add(log, "cast")).thenContinue(c.cont());
                case CallThenContinue c ->
                    Next.reply(c, "replied", add(log, "call")).thenContinue(c.cont());
            };
        }

        @Override
        public Next<List<String>> handleContinue(Object cont, List<String> log) {
            List<String> more = add(log, "continue " + cont);
            return cont.equals("chain 1") ? Next.noreply(more).thenContinue("chain 2") : Next.noreply(more);
        }

        @Override
        public Next<List<String>> handleInfo(Object message, List<String> log) {
            return Next.noreply(add(log, "info " + message));
        }

        private static List<String> add(List<String> log, String entry) {
            List<String> more = new ArrayList<>(log);
            more.add(entry);
            return List.copyOf(more);
        }
    }

    /// Asks for a continue step but keeps the default `handleContinue`.
    static final class NoHandleContinue implements GenServer<Object, String> {
        @Override
        public Init<String> init() {
            return Init.ok("state").thenContinue("step");
        }

        @Override
        public Next<String> handle(Object msg, String state) {
            return Next.noreply(state);
        }
    }

    private static void awaitQueued(Pid pid, int n) {
        Awaitility.await("messages queued at the server")
                .atMost(ServerTesting.WAIT)
                .pollInterval(Duration.ofMillis(1))
                .until(() -> Kernel.processInfo(pid).orElseThrow().mailboxLength() >= n);
    }

    @Test
    void aContinueFromInitRunsBeforeAMessageAlreadyQueued() {
        InProcess.run(() -> {
            Pid pid = GenServer.start(new Server(true)).orThrow();
            assertThat(GenServer.call(pid, new Server.Log()))
                    .containsExactly("init", "continue from init", "info queued before the continue");
            GenServer.stop(pid);
        });
    }

    @Test
    void aContinueAfterANoReplyRunsBeforeTheNextMessage() {
        InProcess.run(() -> {
            Pid pid = GenServer.start(new Server(false)).orThrow();
            Sys.suspend(pid); // both messages are queued before the server looks at either
            GenServer.cast(pid, new Server.CastThenContinue("after the cast"));
            Kernel.send(pid, "next");
            Sys.resume(pid);
            assertThat(GenServer.call(pid, new Server.Log()))
                    .containsExactly("init", "cast", "continue after the cast", "info next");
            GenServer.stop(pid);
        });
    }

    @Test
    void aContinueAfterAReplyRunsBeforeTheNextMessage() {
        InProcess.run(() -> {
            Pid test = Kernel.self();
            Pid pid = GenServer.start(new Server(false)).orThrow();
            Sys.suspend(pid);
            Kernel.spawn(() -> Kernel.send(test, GenServer.call(pid, new Server.CallThenContinue("after the call"))));
            awaitQueued(pid, 1);
            Kernel.send(pid, "next");
            Sys.resume(pid);
            expect("replied");
            assertThat(GenServer.call(pid, new Server.Log()))
                    .containsExactly("init", "call", "continue after the call", "info next");
            GenServer.stop(pid);
        });
    }

    @Test
    void aContinueStepCanAskForAnotherBeforeTheNextMessage() {
        InProcess.run(() -> {
            Pid pid = GenServer.start(new Server(false)).orThrow();
            Sys.suspend(pid);
            GenServer.cast(pid, new Server.CastThenContinue("chain 1"));
            Kernel.send(pid, "next");
            Sys.resume(pid);
            assertThat(GenServer.call(pid, new Server.Log()))
                    .containsExactly("init", "cast", "continue chain 1", "continue chain 2", "info next");
            GenServer.stop(pid);
        });
    }

    @Test
    void askingToContinueWithoutHandleContinueCrashesTheServer() {
        try (LogCapture log = LogCapture.start()) {
            InProcess.run(() -> {
                Kernel.trapExit(true); // the crash may come before a monitor could be set up
                Pid pid = GenServer.startLink(new NoHandleContinue()).orThrow();
                assertThat(expect(ServerTesting.exitFrom(pid)).reason())
                        .isInstanceOfSatisfying(
                                ExitReason.Crash.class,
                                c -> assertThat(c.exception())
                                        .isInstanceOf(UnsupportedOperationException.class)
                                        .hasMessageContaining("step"));
            });
            assertThat(log.at(ch.qos.logback.classic.Level.ERROR)).hasSize(1);
        }
    }
}
