package dev.trellis.otp;

import static dev.trellis.otp.ServerTesting.downOf;
import static dev.trellis.otp.ServerTesting.exitReasonOf;
import static dev.trellis.otp.ServerTesting.expect;
import static dev.trellis.otp.ServerTesting.refuteQueued;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/// Stopping: `stop`, the stop results of callbacks, `terminate` on crashes and on the parent's
/// exit (gen_server_SUITE's stop and terminate cases, Elixir's "stop/3"). The stop timeout is in
/// [GenServerTimeoutTest].
@ExtendWith(SupervisionLeakCheck.class)
class GenServerStopTest {

    /// Reports `terminate` to the test as [Terminated].
    record Server(Pid test, boolean trap) implements GenServer<Server.Msg, String> {
        sealed interface Msg {}

        record Ping() implements Msg, Call<String> {}

        /// Stops with `reason`, replying `reply` first if there is one.
        record Quit(ExitReason reason, Optional<String> reply) implements Msg, Call<String> {}

        record QuitCast(ExitReason reason) implements Msg {}

        record Crash(RuntimeException exception) implements Msg {}

        record StopSelf() implements Msg, Call<ExitReason> {}

        record Terminated(Pid server, ExitReason reason) {}

        @Override
        public Init<String> init() {
            Kernel.trapExit(trap);
            return Init.ok("state");
        }

        @Override
        public Next<String> handle(Msg msg, String state) {
            return switch (msg) {
                case Ping p -> Next.reply(p, "pong", state);
                case Quit q ->
                    q.reply().isPresent()
                            ? Next.stop(q.reason(), q, q.reply().get(), state)
                            : Next.stop(q.reason(), state);
                case QuitCast q -> Next.stop(q.reason(), state);
                case Crash c -> throw c.exception();
                case StopSelf s -> Next.reply(s, exitReasonOf(() -> GenServer.stop(Kernel.self())), state);
            };
        }

        @Override
        public void terminate(ExitReason reason, String state) {
            Kernel.send(test, new Terminated(Kernel.self(), reason));
        }
    }

    /// A server whose `terminate` throws.
    record FailingTerminate(RuntimeException exception) implements GenServer<Server.Msg, String> {
        @Override
        public Init<String> init() {
            return Init.ok("state");
        }

        @Override
        public Next<String> handle(Server.Msg msg, String state) {
            return Next.noreply(state);
        }

        @Override
        public void terminate(ExitReason reason, String state) {
            throw exception;
        }
    }

    private static Match<Server.Terminated> terminatedBy(Pid pid) {
        return m -> m instanceof Server.Terminated t && t.server().equals(pid) ? t : null;
    }

    @Test
    void stopReturnsOnlyAfterTerminateRanAndTheServerExited() {
        InProcess.run(() -> {
            Pid pid = GenServer.start(new Server(Kernel.self(), false)).orThrow();
            GenServer.stop(pid, ExitReason.SHUTDOWN, Duration.ofSeconds(5));
            assertThat(Kernel.receive(terminatedBy(pid), Duration.ZERO))
                    .as("terminate's message is queued when stop returns")
                    .contains(new Server.Terminated(pid, ExitReason.SHUTDOWN));
            assertThat(Kernel.isAlive(pid)).isFalse();
        });
    }

    @Test
    void stopWithoutAReasonStopsNormal() {
        InProcess.run(() -> {
            Pid pid = GenServer.start(new Server(Kernel.self(), false)).orThrow();
            Ref ref = Kernel.monitor(pid);
            GenServer.stop(pid);
            assertThat(Kernel.receive(terminatedBy(pid), Duration.ZERO))
                    .contains(new Server.Terminated(pid, ExitReason.NORMAL));
            assertThat(expect(downOf(ref)).reason()).isEqualTo(ExitReason.NORMAL);
        });
    }

    @Test
    void stopWithAnotherReasonExitsTheServerWithIt() {
        InProcess.run(() -> {
            Pid pid = GenServer.start(new Server(Kernel.self(), false)).orThrow();
            Ref ref = Kernel.monitor(pid);
            ExitReason reason = ExitReason.shutdown("maintenance");
            GenServer.stop(pid, reason, Duration.ofSeconds(5));
            assertThat(expect(terminatedBy(pid)).reason()).isEqualTo(reason);
            assertThat(expect(downOf(ref)).reason()).isEqualTo(reason);
        });
    }

    @Test
    void stopOfADeadPidExitsWithNoproc() {
        InProcess.run(() -> {
            Pid pid = GenServer.start(new Server(Kernel.self(), false)).orThrow();
            GenServer.stop(pid);
            assertThat(exitReasonOf(() -> GenServer.stop(pid))).isEqualTo(ExitReason.NOPROC);
            assertThat(exitReasonOf(() -> GenServer.stop(pid, ExitReason.SHUTDOWN, Duration.ofSeconds(1))))
                    .isEqualTo(ExitReason.NOPROC);
        });
    }

    @Test
    void stopExitsTheCallerWithTheReasonOfAFailingTerminate() {
        InProcess.run(() -> {
            IllegalStateException boom = new IllegalStateException("terminate failed");
            Pid pid = GenServer.start(new FailingTerminate(boom)).orThrow();
            assertThat(exitReasonOf(() -> GenServer.stop(pid))).isEqualTo(ExitReason.crash(boom));
            assertThat(Kernel.isAlive(pid)).isFalse();
        });
    }

    @Test
    void stopOfItselfFailsFastWithCallingSelf() {
        InProcess.run(() -> {
            Pid pid = GenServer.start(new Server(Kernel.self(), false)).orThrow();
            assertThat(GenServer.call(pid, new Server.StopSelf(), Duration.ofSeconds(1)))
                    .isEqualTo(ExitReason.other("calling_self"));
            assertThat(GenServer.call(pid, new Server.Ping())).isEqualTo("pong");
            GenServer.stop(pid);
        });
    }

    @Test
    void stopWorksFromAPlainThread() {
        Pid pid = GenServer.start(new Server(Kernel.spawn(() -> {}), false)).orThrow();
        GenServer.stop(pid, ExitReason.SHUTDOWN, Duration.ofSeconds(5));
        assertThat(Kernel.isAlive(pid)).isFalse();
    }

    // ---- stop results of callbacks ------------------------------------------------------------

    @Test
    void aStopWithAReplyRunsTerminateThenRepliesThenExits() {
        InProcess.run(() -> {
            Pid pid = GenServer.start(new Server(Kernel.self(), false)).orThrow();
            Ref ref = Kernel.monitor(pid);
            String reply = GenServer.call(pid, new Server.Quit(ExitReason.NORMAL, Optional.of("bye")));
            assertThat(reply).isEqualTo("bye");
            assertThat(Kernel.receive(terminatedBy(pid), Duration.ZERO))
                    .as("terminate ran before the reply, as in gen_server")
                    .contains(new Server.Terminated(pid, ExitReason.NORMAL));
            assertThat(expect(downOf(ref)).reason()).isEqualTo(ExitReason.NORMAL);
        });
    }

    @Test
    void aStopWithoutAReplyFromACallExitsTheCallerWithTheServersReason() {
        InProcess.run(() -> {
            Pid pid = GenServer.start(new Server(Kernel.self(), false)).orThrow();
            ExitReason reason = ExitReason.shutdown("asked to");
            assertThat(exitReasonOf(() -> GenServer.call(pid, new Server.Quit(reason, Optional.empty()))))
                    .isEqualTo(reason);
            assertThat(Kernel.receive(terminatedBy(pid), Duration.ZERO)).contains(new Server.Terminated(pid, reason));
            refuteQueued(m -> m instanceof GenMessages.Reply ? m : null);
        });
    }

    @Test
    void aStopFromACastRunsTerminateAndExitsWithTheReason() {
        InProcess.run(() -> {
            Pid pid = GenServer.start(new Server(Kernel.self(), false)).orThrow();
            Ref ref = Kernel.monitor(pid);
            GenServer.cast(pid, new Server.QuitCast(ExitReason.NORMAL));
            assertThat(expect(downOf(ref)).reason()).isEqualTo(ExitReason.NORMAL);
            assertThat(Kernel.receive(terminatedBy(pid), Duration.ZERO))
                    .contains(new Server.Terminated(pid, ExitReason.NORMAL));
        });
    }

    @Test
    void terminateRunsOnACrashWithTheCrashReason() {
        InProcess.run(() -> {
            Pid pid = GenServer.start(new Server(Kernel.self(), false)).orThrow();
            Ref ref = Kernel.monitor(pid);
            IllegalStateException boom = new IllegalStateException("crash in handle");
            GenServer.cast(pid, new Server.Crash(boom));
            ExitReason reason = expect(downOf(ref)).reason();
            assertThat(reason).isEqualTo(ExitReason.crash(boom));
            assertThat(Kernel.receive(terminatedBy(pid), Duration.ZERO))
                    .contains(new Server.Terminated(pid, ExitReason.crash(boom)));
        });
    }

    // ---- the parent's exit --------------------------------------------------------------------

    @Test
    void aTrappingServerRunsTerminateWhenItsParentExitsAndExitsWithTheSameReason() {
        InProcess.run(() -> {
            Pid test = Kernel.self();
            Pid parent = Kernel.spawn(() -> {
                Kernel.send(test, GenServer.startLink(new Server(test, true)).orThrow());
                Kernel.receive(Match.equalTo("go"));
                Kernel.exit(ExitReason.SHUTDOWN);
            });
            Pid server = expect(Match.type(Pid.class));
            Ref ref = Kernel.monitor(server);
            Kernel.send(parent, "go");
            assertThat(expect(downOf(ref)).reason()).isEqualTo(ExitReason.SHUTDOWN);
            assertThat(Kernel.receive(terminatedBy(server), Duration.ZERO))
                    .contains(new Server.Terminated(server, ExitReason.SHUTDOWN));
        });
    }

    @Test
    void aTrappingServerRunsTerminateOnAnExitSignalFromItsParent() {
        InProcess.run(() -> {
            Pid server = GenServer.start(new Server(Kernel.self(), true)).orThrow();
            Ref ref = Kernel.monitor(server);
            Kernel.exit(server, ExitReason.SHUTDOWN); // the test process started it: it is the parent
            assertThat(expect(downOf(ref)).reason()).isEqualTo(ExitReason.SHUTDOWN);
            assertThat(Kernel.receive(terminatedBy(server), Duration.ZERO))
                    .contains(new Server.Terminated(server, ExitReason.SHUTDOWN));
        });
    }

    @Test
    void aNonTrappingServerIsKilledByItsParentsExitWithoutTerminate() {
        InProcess.run(() -> {
            Pid test = Kernel.self();
            Pid parent = Kernel.spawn(() -> {
                Kernel.send(test, GenServer.startLink(new Server(test, false)).orThrow());
                Kernel.receive(Match.equalTo("go"));
                Kernel.exit(ExitReason.SHUTDOWN);
            });
            Pid server = expect(Match.type(Pid.class));
            Ref ref = Kernel.monitor(server);
            Kernel.send(parent, "go");
            assertThat(expect(downOf(ref)).reason()).isEqualTo(ExitReason.SHUTDOWN);
            refuteQueued(terminatedBy(server)); // it would be ahead of the Down
        });
    }

    @Test
    void aKilledServerDoesNotRunTerminateEvenWhenTrapping() {
        InProcess.run(() -> {
            Pid server = GenServer.start(new Server(Kernel.self(), true)).orThrow();
            Ref ref = Kernel.monitor(server);
            Kernel.exit(server, ExitReason.KILL);
            assertThat(expect(downOf(ref)).reason()).isEqualTo(ExitReason.KILLED);
            refuteQueued(terminatedBy(server));
        });
    }
}
