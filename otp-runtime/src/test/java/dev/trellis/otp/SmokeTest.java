package dev.trellis.otp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SmokeTest {
    record Ping(Pid from) {}

    @Test
    void pingPong() {
        InProcess.run(() -> {
            Spawned spawned = Kernel.spawnMonitor(() -> {
                for (int i = 0; i < 3; i++) {
                    Ping p = Kernel.receive(Match.type(Ping.class));
                    Kernel.send(p.from(), "pong");
                }
            });
            Pid echo = spawned.pid();
            for (int i = 0; i < 3; i++) {
                Kernel.send(echo, new Ping(Kernel.self()));
                assertThat(InProcess.expect(Match.equalTo("pong"))).isEqualTo("pong");
            }
            Ref ref = spawned.ref();
            Down d = InProcess.expect(m -> m instanceof Down dd && dd.ref() == ref ? dd : null);
            assertThat(d.reason()).isEqualTo(ExitReason.NORMAL);
        });
    }

    @Test
    void linkedCrashKillsAndTrapGetsExit() {
        InProcess.run(() -> {
            Kernel.trapExit(true);
            Pid p = Kernel.spawnLink(() -> {
                throw new IllegalStateException("boom");
            });
            Exit e = InProcess.expect(Match.type(Exit.class));
            assertThat(e.from()).isEqualTo(p);
            assertThat(e.reason()).isInstanceOf(ExitReason.Crash.class);
        });
    }

    @Test
    void killWhileWaiting() {
        InProcess.run(() -> {
            Spawned s = Kernel.spawnMonitor(() -> Kernel.receive());
            Kernel.exit(s.pid(), ExitReason.KILL);
            Down d = InProcess.expect(Match.type(Down.class));
            assertThat(d.reason()).isEqualTo(ExitReason.KILLED);
            assertThat(Kernel.receive(Duration.ZERO)).isEmpty();
        });
    }
}
