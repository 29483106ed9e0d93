package dev.trellis.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/// `kv server` as a user runs it: a separate JVM, talked to over TCP, stopped with SIGTERM.
class ServerProcessTest {
    private static final Pattern LISTENING = Pattern.compile("kv server listening on 127\\.0\\.0\\.1:(\\d+)");

    @Test
    void serverServesTheProtocolOnTheLoggedPortAndExitsZeroOnSigterm() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process server = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "server",
                        "--port",
                        "0")
                .redirectErrorStream(true)
                .start();
        List<String> lines = new ArrayList<>();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
                port.completeExceptionally(new AssertionError("the server ended before listening: " + lines));
            } catch (java.io.IOException e) {
                port.completeExceptionally(e);
            }
        });
        try {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port.get(60, TimeUnit.SECONDS))) {
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                out.write("CREATE shopping\r\nPUT shopping milk 1\r\nGET shopping milk\r\n"
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
                byte[] reply = s.getInputStream().readNBytes("OK\r\nOK\r\n1\r\nOK\r\n".length());
                assertThat(new String(reply, StandardCharsets.UTF_8)).isEqualTo("OK\r\nOK\r\n1\r\nOK\r\n");
            }
            server.toHandle().destroy(); // SIGTERM, leaving our end of its output open
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(server.exitValue()).isZero();
            reader.join(5_000);
            synchronized (lines) {
                assertThat(String.join("\n", lines))
                        .contains("kv started: kv_supervisor (one_for_all) -> [kv_bucket_supervisor, kv_registry]")
                        .contains("SIGTERM received, stopping")
                        .contains("stopped");
            }
        } finally {
            server.destroyForcibly();
        }
    }
}
