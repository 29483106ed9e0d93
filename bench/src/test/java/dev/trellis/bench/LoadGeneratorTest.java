package dev.trellis.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.kv.KvConfig;
import dev.trellis.kv.KvRegistry;
import dev.trellis.kv.server.KvServer;
import dev.trellis.kv.server.ServerConfig;
import dev.trellis.otp.Pid;
import dev.trellis.otp.Supervisor;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LoadGeneratorTest {
    @Test
    void everyConnectionCreatesItsBucketAndRunsAClosedLoopWithoutErrors() throws Exception {
        KvConfig kv = KvConfig.unique("load_test");
        ServerConfig server = ServerConfig.defaults(kv).port(0).name("load_test");
        Pid top = KvBenchmarks.startServer(kv, server);
        try {
            ByteArrayOutputStream progress = new ByteArrayOutputStream();
            // 2 s: the progress line of the first second is printed while the run goes on
            LoadGenerator.Result r = LoadGenerator.run(
                    KvServer.address(server).orElseThrow(), 4, 2, 50, new PrintStream(progress, true));
            assertThat(r.errors()).isZero();
            assertThat(r.opsPerSec()).isPositive();
            assertThat(r.p50Us()).isPositive().isLessThanOrEqualTo(r.p99Us());
            assertThat(r.p99Us()).isLessThanOrEqualTo(r.p999Us());
            assertThat(KvRegistry.count(kv.registry())).isEqualTo(4);
            assertThat(r.json())
                    .matches("\\{\"ops_per_sec\":[0-9]+,\"p50_us\":[0-9.]+,\"p99_us\":[0-9.]+,"
                            + "\"p999_us\":[0-9.]+,\"errors\":0}");
            assertThat(progress.toString(StandardCharsets.UTF_8)).contains("ops/s");
        } finally {
            BehaviourBenchmarks.driver(() -> {
                Supervisor.stop(top);
                return top;
            });
        }
    }

    @Test
    void aWrongReplyCountsAsAnErrorAndTheConnectionIsReopened() throws Exception {
        try (ServerSocket liar = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofPlatform().daemon().start(() -> answerEveryLineWith(liar, "NOPE\r\n"));
            LoadGenerator.Result r = LoadGenerator.run(
                    (InetSocketAddress) liar.getLocalSocketAddress(),
                    2,
                    1,
                    50,
                    new PrintStream(OutputStream.nullOutputStream()));
            assertThat(r.errors()).isGreaterThan(2); // more than one per connection: reopened
            assertThat(r.opsPerSec()).isZero();
        }
    }

    private static void answerEveryLineWith(ServerSocket server, String reply) {
        try {
            for (; ; ) {
                Socket s = server.accept();
                Thread.ofPlatform().daemon().start(() -> {
                    try (s;
                            BufferedReader in = new BufferedReader(
                                    new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1))) {
                        while (in.readLine() != null) {
                            s.getOutputStream().write(reply.getBytes(StandardCharsets.ISO_8859_1));
                        }
                    } catch (IOException gone) {
                        // the generator closed it
                    }
                });
            }
        } catch (IOException closed) {
            // the test is over
        }
    }
}
