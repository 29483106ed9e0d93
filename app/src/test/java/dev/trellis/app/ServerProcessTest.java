package dev.trellis.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/// `kv server` as a user runs it: a separate JVM, stopped with SIGTERM.
class ServerProcessTest {

    @Test
    void serverStartsTheKvApplicationAndExitsZeroOnSigterm() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process server = new ProcessBuilder(
                        java, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "server")
                .redirectErrorStream(true)
                .start();
        List<String> lines = new ArrayList<>();
        CompletableFuture<Void> started = new CompletableFuture<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                    if (line.contains("not part of this build yet")) {
                        started.complete(null);
                    }
                }
            } catch (java.io.IOException e) {
                started.completeExceptionally(e);
            }
        });
        try {
            started.get(60, TimeUnit.SECONDS);
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
