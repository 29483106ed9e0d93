package dev.trellis.kv.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.kv.KvConfig;
import dev.trellis.kv.KvRegistry;
import dev.trellis.kv.KvSupervisor;
import dev.trellis.otp.ExitReason;
import dev.trellis.otp.Kernel;
import dev.trellis.otp.Pid;
import dev.trellis.otp.Sys;
import dev.trellis.otp.observe.RuntimeStatistics;
import dev.trellis.otp.testkit.OtpTest;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/// The protocol through a real socket on 127.0.0.1 (DESIGN §5), each test with its own KV tree
/// and server on a free port.
@OtpTest
class KvServerTest {
    private static final AtomicInteger SERIAL = new AtomicInteger();

    private ServerConfig config = ServerConfig.defaults(KvConfig.defaults());

    private InetSocketAddress start(int maxLine, int maxConnections) {
        return startWith(c -> c.limits(maxLine, maxConnections, Duration.ofSeconds(300)));
    }

    private InetSocketAddress start() {
        return start(65_536, 100);
    }

    private InetSocketAddress startWith(java.util.function.UnaryOperator<ServerConfig> tune) {
        String suffix = "srv" + SERIAL.incrementAndGet();
        KvConfig kv = KvConfig.unique(suffix);
        KvSupervisor.startLink(kv).orThrow();
        config = tune.apply(ServerConfig.defaults(kv).port(0).name(suffix));
        KvServer.startLink(config).orThrow();
        return KvServer.address(config).orElseThrow();
    }

    @Test
    void aClientIdlePastTheTimeoutIsDisconnected() throws Exception {
        InetSocketAddress at = startWith(c -> c.limits(65_536, 100, Duration.ofMillis(300)));
        try (Client idle = new Client(at)) {
            assertThat(idle.readToEnd()).isEmpty(); // closed by the server, nothing said
        }
    }

    @Test
    void aClientThatStopsReadingIsDisconnectedWithoutBlockingOthers() throws Exception {
        InetSocketAddress at = startWith(c -> c.writeTimeout(Duration.ofMillis(500)));
        try (Client setup = new Client(at)) {
            assertThat(setup.sendAndRecv("CREATE b\n")).isEqualTo("OK\r\n");
            assertThat(setup.sendAndRecv("PUT b k " + "v".repeat(60_000) + "\n"))
                    .isEqualTo("OK\r\n");
        }
        Set<Pid> before = new HashSet<>(Kernel.processes());
        long crashes = Kernel.statistics().exits(RuntimeStatistics.ExitKind.CRASH);
        Client slow = new Client(at);
        slow.socket.setReceiveBufferSize(4096);
        slow.send("GET b k\n".repeat(400)); // ~24 MB of replies it never reads
        try (Client other = new Client(at)) {
            assertThat(other.sendAndRecv("PUT b other 1\n")).isEqualTo("OK\r\n");
        }
        // The slow client's connection process ends (its stalled write was cut off).
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(leftovers(before)).isEmpty());
        // Cut off, not crashed: no crash report for a client that stopped reading.
        assertThat(Kernel.statistics().exits(RuntimeStatistics.ExitKind.CRASH)).isEqualTo(crashes);
        slow.socket.setSoLinger(true, 0);
        slow.close();
    }

    @Test
    void serverInteraction() throws Exception {
        try (Client c = new Client(start())) {
            assertThat(c.sendAndRecv("UNKNOWN shopping\r\n")).isEqualTo("UNKNOWN COMMAND\r\n");
            assertThat(c.sendAndRecv("GET shopping eggs\r\n")).isEqualTo("NOT FOUND\r\n");
            assertThat(c.sendAndRecv("CREATE shopping\r\n")).isEqualTo("OK\r\n");
            assertThat(c.sendAndRecv("PUT shopping eggs 3\r\n")).isEqualTo("OK\r\n");
            assertThat(c.sendAndRecv("GET shopping eggs\r\n")).isEqualTo("3\r\n");
            assertThat(c.sendAndRecv("")).isEqualTo("OK\r\n");
            assertThat(c.sendAndRecv("DELETE shopping eggs\r\n")).isEqualTo("OK\r\n");
            assertThat(c.sendAndRecv("GET shopping eggs\r\n")).isEqualTo("\r\n");
            assertThat(c.sendAndRecv("")).isEqualTo("OK\r\n");
        }
    }

    @Test
    void theTelnetSessionOfTheDoctestsChapter() throws Exception {
        try (Client c = new Client(start())) {
            assertThat(c.sendAndRecv("CREATE shopping\r\n")).isEqualTo("OK\r\n");
            assertThat(c.sendAndRecv("PUT shopping milk 1\r\n")).isEqualTo("OK\r\n");
            assertThat(c.sendAndRecv("PUT shopping eggs 3\r\n")).isEqualTo("OK\r\n");
            c.send("GET shopping milk\r\n");
            assertThat(c.read("1\r\nOK\r\n".length())).isEqualTo("1\r\nOK\r\n");
            assertThat(c.sendAndRecv("DELETE shopping eggs\r\n")).isEqualTo("OK\r\n");
            assertThat(c.sendAndRecv("GET missing key\r\n")).isEqualTo("NOT FOUND\r\n");
        }
    }

    @Test
    void lfOnlyLoneCrTabsAndEmptyLines() throws Exception {
        try (Client c = new Client(start())) {
            assertThat(c.sendAndRecv("CREATE b\n")).isEqualTo("OK\r\n");
            assertThat(c.sendAndRecv("PUT\tb\rk v\n")).isEqualTo("OK\r\n");
            assertThat(c.sendAndRecv("\n")).isEqualTo("UNKNOWN COMMAND\r\n");
            assertThat(c.sendAndRecv("   \r\n")).isEqualTo("UNKNOWN COMMAND\r\n");
            assertThat(c.sendAndRecv("get b k\n")).isEqualTo("UNKNOWN COMMAND\r\n");
            assertThat(c.sendAndRecv("GET b\n")).isEqualTo("UNKNOWN COMMAND\r\n");
            assertThat(c.sendAndRecv("PUT b k two words\n")).isEqualTo("UNKNOWN COMMAND\r\n");
            c.send("GET b k\n");
            assertThat(c.read(7)).isEqualTo("v\r\nOK\r\n");
        }
    }

    @Test
    void unicodeWhitespaceSeparatesButNonBreakingSpaceDoesNot() throws Exception {
        try (Client c = new Client(start())) {
            c.send("CREATE\u3000b\n".getBytes(StandardCharsets.UTF_8));
            assertThat(c.line()).isEqualTo("OK\r\n");
            c.send("PUT\u2003b\u2028k\u00a0v\n".getBytes(StandardCharsets.UTF_8)); // "k\u00a0v" is one token
            assertThat(c.line()).isEqualTo("UNKNOWN COMMAND\r\n");
        }
    }

    @Test
    void invalidUtf8AndNulBytesRoundTripByteForByte() throws Exception {
        try (Client c = new Client(start())) {
            byte[] value = {(byte) 0xff, 0, (byte) 0xc3, 0x28, (byte) 0xe2, (byte) 0x82};
            c.send("CREATE b\n");
            assertThat(c.line()).isEqualTo("OK\r\n");
            ByteArrayOutputStream put = new ByteArrayOutputStream();
            put.writeBytes("PUT b \u0000k ".getBytes(StandardCharsets.ISO_8859_1));
            put.writeBytes(value);
            put.writeBytes("\n".getBytes(StandardCharsets.ISO_8859_1));
            c.send(put.toByteArray());
            assertThat(c.line()).isEqualTo("OK\r\n");
            c.send("GET b \u0000k\n");
            byte[] reply = c.read(value.length + 6).getBytes(StandardCharsets.ISO_8859_1);
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            expected.writeBytes(value);
            expected.writeBytes("\r\nOK\r\n".getBytes(StandardCharsets.ISO_8859_1));
            assertThat(reply).isEqualTo(expected.toByteArray());
        }
    }

    @Test
    void aThousandPipelinedCommandsInOneWriteAreAnsweredInOrder() throws Exception {
        try (Client c = new Client(start())) {
            StringBuilder batch = new StringBuilder("CREATE b\n");
            StringBuilder expected = new StringBuilder("OK\r\n");
            for (int i = 0; i < 1000; i++) {
                batch.append("PUT b k").append(i).append(' ').append(i).append('\n');
                batch.append("GET b k").append(i).append('\n');
                expected.append("OK\r\n").append(i).append("\r\nOK\r\n");
            }
            c.send(batch.toString());
            assertThat(c.read(expected.length())).isEqualTo(expected.toString());
        }
    }

    @Test
    void pipelinedGetsOfALargeValueAreAnsweredInOrderInChunks() throws Exception {
        // 400 GETs in one read ask for 24 MB of replies: written as they accumulate, in order.
        String value = "v".repeat(60_000);
        try (Client c = new Client(start())) {
            assertThat(c.sendAndRecv("CREATE b\n")).isEqualTo("OK\r\n");
            assertThat(c.sendAndRecv("PUT b k " + value + "\n")).isEqualTo("OK\r\n");
            c.send("GET b k\n".repeat(400));
            String reply = value + "\r\nOK\r\n";
            for (int i = 0; i < 400; i++) {
                assertThat(c.read(reply.length())).as("reply %d", i).isEqualTo(reply);
            }
            assertThat(c.sendAndRecv("DELETE b k\n")).isEqualTo("OK\r\n");
        }
    }

    @Test
    void aOneMegabyteLineIsRefusedClosedAndNotStored() throws Exception {
        InetSocketAddress at = start();
        try (Client c = new Client(at)) {
            c.send("CREATE b\n");
            assertThat(c.line()).isEqualTo("OK\r\n");
            c.send("PUT b k " + "x".repeat(1 << 20) + "\nGET b k\n");
            assertThat(c.readToEnd()).isEqualTo(Connection.LINE_TOO_LONG);
        }
        try (Client c = new Client(at)) {
            assertThat(c.sendAndRecv("GET b k\n")).isEqualTo("\r\n");
        }
    }

    @Test
    void aValueJustUnderTheLimitIsStoredAndJustOverIsRefused() throws Exception {
        int maxLine = 100;
        InetSocketAddress at = start(maxLine, 100);
        String prefix = "PUT b k ";
        String fits = "v".repeat(maxLine - prefix.length());
        try (Client c = new Client(at)) {
            c.send("CREATE b\n");
            assertThat(c.line()).isEqualTo("OK\r\n");
            assertThat(c.sendAndRecv(prefix + fits + "\r\n")).isEqualTo("OK\r\n");
            c.send("GET b k\n");
            assertThat(c.read(fits.length() + 6)).isEqualTo(fits + "\r\nOK\r\n");
            c.send(prefix + fits + "w\n");
            assertThat(c.readToEnd()).isEqualTo(Connection.LINE_TOO_LONG);
        }
        try (Client c = new Client(at)) {
            c.send("GET b k\n");
            assertThat(c.read(fits.length() + 6)).isEqualTo(fits + "\r\nOK\r\n");
        }
    }

    @Test
    void aPartialLineAtDisconnectIsDiscardedAndCompleteOnesAreExecuted() throws Exception {
        InetSocketAddress at = start();
        try (Client c = new Client(at)) {
            c.send("CREATE done\nCREATE half");
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> KvRegistry.lookup(config.kv().registry(), "done").isPresent());
        assertThat(KvRegistry.lookup(config.kv().registry(), "half")).isEmpty();
    }

    @Test
    void aRequestCompleteBeforeAResetIsStillExecuted() throws Exception {
        InetSocketAddress at = start();
        Client c = new Client(at);
        c.send("CREATE before_reset\n");
        c.socket.setSoLinger(true, 0);
        c.close(); // RST
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> KvRegistry.lookup(config.kv().registry(), "before_reset")
                        .isPresent());
    }

    @Test
    void afterAHalfCloseEveryCompleteLineIsAnswered() throws Exception {
        try (Client c = new Client(start())) {
            c.send("CREATE b\nPUT b k v\nGET b k\nGET b");
            c.socket.shutdownOutput();
            assertThat(c.readToEnd()).isEqualTo("OK\r\nOK\r\nv\r\nOK\r\n");
        }
    }

    @Test
    void connectionsOverTheCapAreRefusedAndServedAgainOnceOthersLeave() throws Exception {
        InetSocketAddress at = start(65_536, 2);
        try (Client a = new Client(at);
                Client b = new Client(at)) {
            assertThat(a.sendAndRecv("CREATE x\n")).isEqualTo("OK\r\n");
            assertThat(b.sendAndRecv("CREATE y\n")).isEqualTo("OK\r\n");
            try (Client c = new Client(at)) {
                assertThat(c.readToEnd()).isEqualTo(KvServer.TOO_MANY_CONNECTIONS);
            }
        }
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            try (Client again = new Client(at)) {
                assertThat(again.sendAndRecv("CREATE z\n")).isEqualTo("OK\r\n");
            }
        });
    }

    @Test
    void killingTheAcceptorRestartsItAndOpenConnectionsKeepWorking() throws Exception {
        InetSocketAddress at = start();
        try (Client open = new Client(at)) {
            assertThat(open.sendAndRecv("CREATE b\n")).isEqualTo("OK\r\n");
            Pid acceptor = Kernel.whereis(config.acceptorName()).orElseThrow();
            Kernel.exit(acceptor, ExitReason.KILL);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> Kernel.whereis(config.acceptorName())
                            .filter(p -> !p.equals(acceptor))
                            .isPresent());
            assertThat(open.sendAndRecv("PUT b k v\n")).isEqualTo("OK\r\n");
            try (Client fresh = new Client(at)) {
                assertThat(fresh.sendAndRecv("GET b k\n")).isEqualTo("v\r\n");
            }
        }
    }

    @Test
    void aBucketKilledWhileACommandWaitsOnItAnswersNotFoundAndTheConnectionGoesOn() throws Exception {
        // Found by ./kv soak: the command's call exited with `killed` and took the connection down.
        try (Client c = new Client(start())) {
            assertThat(c.sendAndRecv("CREATE b\n")).isEqualTo("OK\r\n");
            Pid bucket = KvRegistry.lookup(config.kv().registry(), "b").orElseThrow();
            Sys.suspend(bucket); // the PUT below waits in its mailbox
            c.send("PUT b k v\n");
            Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> Kernel.processInfo(bucket)
                            .map(i -> i.mailboxLength() == 1)
                            .orElse(false));
            Kernel.exit(bucket, ExitReason.KILL);
            assertThat(c.line()).isEqualTo("NOT FOUND\r\n");
            assertThat(c.sendAndRecv("CREATE other\n")).isEqualTo("OK\r\n");
            assertThat(c.sendAndRecv("PUT other k v\n")).isEqualTo("OK\r\n");
        }
    }

    @Test
    void aThousandAbruptConnectsLeaveNoProcessBehind() throws Exception {
        InetSocketAddress at = start();
        Set<Pid> before = new HashSet<>(Kernel.processes());
        for (int i = 0; i < 1000; i++) {
            Client c = new Client(at);
            if (i % 2 == 0) {
                c.socket.setSoLinger(true, 0); // half of them reset
            }
            c.close();
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(leftovers(before)).isEmpty());
        try (Client c = new Client(at)) {
            assertThat(c.sendAndRecv("CREATE still_up\n")).isEqualTo("OK\r\n");
        }
    }

    private static List<String> leftovers(Set<Pid> before) {
        return Kernel.processes().stream()
                .filter(p -> !before.contains(p))
                .flatMap(p -> Kernel.processInfo(p).stream())
                .map(i -> i.pid() + " " + i.label() + " " + i.status() + " "
                        + i.stack().stream().limit(8).toList())
                .toList();
    }
}
