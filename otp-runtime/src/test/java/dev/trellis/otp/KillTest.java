package dev.trellis.otp;

import static dev.trellis.otp.Signals.downOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/// A killed process dies promptly wherever it blocks, and its finally blocks run.
class KillTest {

    @Test
    void aProcessKilledWhileBlockedInReceiveDiesAndRunsFinally() {
        InProcess.run(() -> {
            Pid test = Kernel.self();
            Spawned s = Kernel.spawnMonitor(() -> {
                try {
                    Kernel.send(test, "blocking");
                    Kernel.receive(Match.equalTo("never"));
                } finally {
                    Kernel.send(test, "finally ran");
                }
            });
            InProcess.expect(Match.equalTo("blocking"));
            Kernel.exit(s.pid(), ExitReason.KILL);
            assertThat(InProcess.expect(downOf(s.ref())).reason()).isEqualTo(ExitReason.KILLED);
            InProcess.expect(Match.equalTo("finally ran"));
        });
    }

    @Test
    void aProcessKilledWhileSleepingDiesAndRunsFinally() {
        InProcess.run(() -> {
            Pid test = Kernel.self();
            Spawned s = Kernel.spawnMonitor(() -> {
                try {
                    Kernel.send(test, "sleeping");
                    Kernel.sleep(Duration.ofHours(1));
                } finally {
                    Kernel.send(test, "finally ran");
                }
            });
            InProcess.expect(Match.equalTo("sleeping"));
            Kernel.exit(s.pid(), ExitReason.SHUTDOWN);
            assertThat(InProcess.expect(downOf(s.ref())).reason()).isEqualTo(ExitReason.SHUTDOWN);
            InProcess.expect(Match.equalTo("finally ran"));
        });
    }

    @Test
    void aProcessKilledInAPlainThreadSleepDies() {
        InProcess.run(() -> {
            Pid test = Kernel.self();
            Spawned s = Kernel.spawnMonitor(() -> {
                try {
                    Kernel.send(test, "sleeping");
                    Thread.sleep(Duration.ofHours(1));
                } finally {
                    Kernel.send(test, "finally ran");
                }
            });
            InProcess.expect(Match.equalTo("sleeping"));
            Kernel.exit(s.pid(), ExitReason.KILL);
            assertThat(InProcess.expect(downOf(s.ref())).reason()).isEqualTo(ExitReason.KILLED);
            InProcess.expect(Match.equalTo("finally ran"));
        });
    }

    @Test
    void aProcessKilledWhileBlockedInSocketIoDiesAndRunsFinally() {
        InProcess.run(() -> {
            Pid test = Kernel.self();
            try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                Spawned acceptor = Kernel.spawnMonitor(() -> {
                    try {
                        Kernel.send(test, "accepting");
                        server.accept().close();
                    } finally {
                        Kernel.send(test, "acceptor finally");
                    }
                });
                InProcess.expect(Match.equalTo("accepting"));
                Kernel.exit(acceptor.pid(), ExitReason.KILL);
                assertThat(InProcess.expect(downOf(acceptor.ref())).reason()).isEqualTo(ExitReason.KILLED);
                InProcess.expect(Match.equalTo("acceptor finally"));
            }
            try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                    Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                    Socket accepted = server.accept()) {
                Spawned reader = Kernel.spawnMonitor(() -> {
                    try (InputStream in = accepted.getInputStream()) {
                        Kernel.send(test, "reading");
                        in.read();
                    } finally {
                        Kernel.send(test, "reader finally");
                    }
                });
                InProcess.expect(Match.equalTo("reading"));
                Kernel.exit(reader.pid(), ExitReason.KILL);
                assertThat(InProcess.expect(downOf(reader.ref())).reason()).isEqualTo(ExitReason.KILLED);
                InProcess.expect(Match.equalTo("reader finally"));
                assertThat(client.isConnected()).isTrue();
            }
        });
    }

    @Test
    void aKillBeforeTheProcessRunsStillKillsIt() {
        InProcess.run(() -> {
            for (int i = 0; i < 200; i++) {
                Spawned s = Kernel.spawnMonitor(() -> Kernel.receive(Match.equalTo("never")));
                Kernel.exit(s.pid(), ExitReason.KILL);
                assertThat(InProcess.expect(downOf(s.ref())).reason()).isEqualTo(ExitReason.KILLED);
            }
        });
    }
}
