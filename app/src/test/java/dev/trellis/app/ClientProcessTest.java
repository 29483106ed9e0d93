package dev.trellis.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.kv.KvConfig;
import dev.trellis.kv.KvSupervisor;
import dev.trellis.kv.server.KvServer;
import dev.trellis.kv.server.ServerConfig;
import dev.trellis.otp.testkit.OtpTest;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/// `kv client` with piped input against a server started by the test.
@OtpTest
class ClientProcessTest {

    @Test
    void clientSendsEachLineAndPrintsTheReplies() throws Exception {
        KvConfig kv = KvConfig.unique("client_test");
        KvSupervisor.startLink(kv).orThrow();
        ServerConfig config = ServerConfig.defaults(kv).port(0).name("client_test");
        KvServer.startLink(config).orThrow();
        int port = KvServer.address(config).orElseThrow().getPort();
        String java = ProcessHandle.current().info().command().orElse("java");
        Process client = new ProcessBuilder(
                        java,
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "client",
                        "--port",
                        String.valueOf(port))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (OutputStream in = client.getOutputStream()) {
            in.write("CREATE shopping\nPUT shopping milk 1\nGET shopping milk\nget lower\n"
                    .getBytes(StandardCharsets.UTF_8));
        }
        assertThat(client.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(out.replace("\r\n", "\n")).isEqualTo("OK\nOK\n1\nOK\nUNKNOWN COMMAND\n");
        assertThat(client.exitValue()).isZero();
    }
}
