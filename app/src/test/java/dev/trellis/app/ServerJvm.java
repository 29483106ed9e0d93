package dev.trellis.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/// `kv server` as a user runs it: a JVM of its own on the test's classpath, its log read line by
/// line, the TCP and Observer ports taken from the lines it logs (both started on port 0).
final class ServerJvm implements AutoCloseable {
    private static final Pattern TCP = Pattern.compile("kv server listening on 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern OBSERVER = Pattern.compile("observer listening on http://127\\.0\\.0\\.1:(\\d+)");

    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final CompletableFuture<Integer> tcpPort = new CompletableFuture<>();
    private final CompletableFuture<Integer> observerPort = new CompletableFuture<>();
    private final Thread reader;

    /// Starts `kv server --port 0` with `extraArgs` (and `--observer 0` unless they name one).
    ServerJvm(String... extraArgs) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "server",
                "--port",
                "0"));
        if (!List.of(extraArgs).contains("--observer")) {
            command.addAll(List.of("--observer", "0"));
        }
        command.addAll(List.of(extraArgs));
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        reader = Thread.ofPlatform().daemon().start(this::read);
    }

    private void read() {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                synchronized (lines) {
                    lines.add(line);
                }
                complete(TCP.matcher(line), tcpPort);
                complete(OBSERVER.matcher(line), observerPort);
            }
        } catch (IOException e) {
            // the JVM ended
        }
        AssertionError ended = new AssertionError("the server ended before listening: " + log());
        tcpPort.completeExceptionally(ended);
        observerPort.completeExceptionally(ended);
    }

    private static void complete(Matcher m, CompletableFuture<Integer> port) {
        if (m.find()) {
            port.complete(Integer.parseInt(m.group(1)));
        }
    }

    int tcpPort() throws Exception {
        return tcpPort.get(60, TimeUnit.SECONDS);
    }

    int observerPort() throws Exception {
        return observerPort.get(60, TimeUnit.SECONDS);
    }

    /// Everything it has logged so far.
    String log() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    /// SIGTERM, then waits for it to exit; its exit code.
    int terminate() throws InterruptedException {
        process.toHandle().destroy();
        return awaitExit();
    }

    /// Waits for it to exit by itself; its exit code.
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the server did not exit within 30 s: " + log());
        }
        reader.join(5_000);
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
