package dev.trellis.otp;

import static dev.trellis.otp.ServerTesting.expect;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/// Casts and info messages: casts never fail, everything that is neither a call nor a cast goes to
/// `handleInfo` (gen_server_SUITE's cast and info cases).
@ExtendWith(SupervisionLeakCheck.class)
class GenServerCastInfoTest {

    private static final String NAME = "gen_server_cast_info_test";

    /// Keeps the casts it gets; forwards every info message to the test as [Info].
    record Server(Pid test, boolean trap) implements GenServer<Server.Msg, List<String>> {
        sealed interface Msg {}

        record Push(String item) implements Msg {}

        record Items() implements Msg, Call<List<String>> {}

        record Watch(Pid pid) implements Msg, Call<Ref> {}

        record LinkTo(Pid pid) implements Msg, Call<Boolean> {}

        record Info(Pid server, Object message) {}

        @Override
        public Init<List<String>> init() {
            Kernel.trapExit(trap);
            return Init.ok(List.of());
        }

        @Override
        public Next<List<String>> handle(Msg msg, List<String> items) {
            return switch (msg) {
                case Push p -> {
                    List<String> more = new ArrayList<>(items);
                    more.add(p.item());
                    yield Next.noreply(List.copyOf(more));
                }
                case Items i -> Next.reply(i, items, items);
                case Watch w -> Next.reply(w, Kernel.monitor(w.pid()), items);
                case LinkTo l -> {
                    Kernel.link(l.pid());
                    yield Next.reply(l, true, items);
                }
            };
        }

        @Override
        public Next<List<String>> handleInfo(Object message, List<String> items) {
            Kernel.send(test, new Info(Kernel.self(), message));
            return Next.noreply(items);
        }
    }

    /// A server that keeps the default `handleInfo`.
    static final class Plain implements GenServer<Plain.Get, String> {
        record Get() implements Call<String> {}

        @Override
        public Init<String> init() {
            return Init.ok("unchanged");
        }

        @Override
        public Next<String> handle(Get get, String state) {
            return Next.reply(get, state, state);
        }
    }

    private static Match<Server.Info> infoFrom(Pid server) {
        return m -> m instanceof Server.Info i && i.server().equals(server) ? i : null;
    }

    @Test
    void castsAreHandledByHandleInTheOrderTheyWereSent() {
        InProcess.run(() -> {
            Pid pid = GenServer.start(new Server(Kernel.self(), false)).orThrow();
            for (int i = 0; i < 100; i++) {
                GenServer.cast(pid, new Server.Push("item " + i));
            }
            List<String> items = GenServer.call(pid, new Server.Items());
            assertThat(items).hasSize(100).startsWith("item 0", "item 1").endsWith("item 99");
            GenServer.stop(pid);
        });
    }

    @Test
    void aCastToANameReachesTheRegisteredServer() {
        InProcess.run(() -> {
            Pid pid = GenServer.start(
                            new Server(Kernel.self(), false),
                            StartOptions.defaults().name(NAME))
                    .orThrow();
            GenServer.cast(Name.local(NAME), new Server.Push("by name"));
            assertThat(GenServer.call(pid, new Server.Items())).containsExactly("by name");
            GenServer.stop(pid);
        });
    }

    @Test
    void aCastNeverFailsEvenToADeadPidOrAnUnknownName() {
        InProcess.run(() -> {
            Pid pid = GenServer.start(new Server(Kernel.self(), false)).orThrow();
            GenServer.stop(pid);
            GenServer.cast(pid, new Server.Push("lost"));
            GenServer.cast(Name.local(NAME), new Server.Push("lost"));
            ServerTesting.refuteQueued(Match.any());
        });
        Pid dead = Kernel.spawn(() -> {});
        InProcess.run(() -> ServerTesting.awaitExit(dead));
        GenServer.cast(dead, "from a plain thread");
        GenServer.cast(Name.local(NAME), "from a plain thread");
    }

    @Test
    void plainMessagesGoToHandleInfo() {
        InProcess.run(() -> {
            Pid pid = GenServer.start(new Server(Kernel.self(), false)).orThrow();
            Kernel.send(pid, "hello");
            Kernel.send(pid, 42);
            assertThat(expect(infoFrom(pid)).message()).isEqualTo("hello");
            assertThat(expect(infoFrom(pid)).message()).isEqualTo(42);
            GenServer.stop(pid);
        });
    }

    @Test
    void theDownOfAMonitorGoesToHandleInfo() {
        InProcess.run(() -> {
            Pid pid = GenServer.start(new Server(Kernel.self(), false)).orThrow();
            Pid watched = Kernel.spawn(() -> {
                Kernel.receive(Match.equalTo("exit"));
                Kernel.exit(ExitReason.other("done"));
            });
            Ref ref = GenServer.call(pid, new Server.Watch(watched));
            Kernel.send(watched, "exit");
            assertThat(expect(infoFrom(pid)).message()).isEqualTo(new Down(ref, watched, ExitReason.other("done")));
            GenServer.stop(pid);
        });
    }

    @Test
    void anExitGoesToHandleInfoWhenTheServerTrapsExits() {
        InProcess.run(() -> {
            Pid pid = GenServer.start(new Server(Kernel.self(), true)).orThrow();
            Pid linked = Kernel.spawn(() -> {
                Kernel.receive(Match.equalTo("exit"));
                Kernel.exit(ExitReason.other("bye"));
            });
            assertThat(GenServer.call(pid, new Server.LinkTo(linked))).isTrue();
            Kernel.send(linked, "exit");
            assertThat(expect(infoFrom(pid)).message()).isEqualTo(new Exit(linked, ExitReason.other("bye")));
            assertThat(GenServer.call(pid, new Server.Items())).isEmpty(); // still running
            GenServer.stop(pid);
        });
    }

    @Test
    void aTimerMessageGoesToHandleInfo() {
        InProcess.run(() -> {
            Pid pid = GenServer.start(new Server(Kernel.self(), false)).orThrow();
            Kernel.sendAfter(pid, "tick", java.time.Duration.ZERO);
            assertThat(expect(infoFrom(pid)).message()).isEqualTo("tick");
            GenServer.stop(pid);
        });
    }

    @Test
    void theDefaultHandleInfoLogsAWarningAndKeepsRunning() {
        try (LogCapture log = LogCapture.start()) {
            InProcess.run(() -> {
                Pid pid = GenServer.start(new Plain()).orThrow();
                Kernel.send(pid, "stray message");
                assertThat(GenServer.call(pid, new Plain.Get())).isEqualTo("unchanged");
                List<ILoggingEvent> warnings = log.at(Level.WARN, GenServer.class.getName());
                assertThat(warnings).hasSize(1);
                assertThat(warnings.getFirst().getFormattedMessage()).contains(pid.toString(), "stray message");
                assertThat(log.at(Level.ERROR)).isEmpty();
                GenServer.stop(pid);
            });
        }
    }
}
