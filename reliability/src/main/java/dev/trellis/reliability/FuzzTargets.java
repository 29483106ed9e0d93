package dev.trellis.reliability;

import com.code_intelligence.jazzer.api.BugDetectors;
import dev.trellis.kv.KvConfig;
import dev.trellis.kv.KvSupervisor;
import dev.trellis.kv.server.Command;
import dev.trellis.kv.server.KvServer;
import dev.trellis.kv.server.ServerConfig;
import dev.trellis.otp.Kernel;
import dev.trellis.otp.Match;
import dev.trellis.otp.SpawnOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/// The properties fuzzed by `./kv fuzz` and replayed by the test suite: each takes one input and
/// throws [AssertionError] when a property fails.
///
/// | target | input | properties |
/// |---|---|---|
/// | [#parse(byte[])] | one line of bytes | `Command.parse` never throws; it agrees with an independent splitter on
/// `String.split/1` whitespace and the arity rules; every token is the exact bytes of the line; a parsed command
/// printed back and parsed again is the same command |
/// | [#connection(byte[])] | what a client sends, then a half-close | a live in-process server answers every complete
/// line exactly as a model of the store predicts (one reply set per line, in order, byte for byte), refuses a line over
/// the limit and closes, discards a trailing partial line, and closes within 10 s: no crash, no hang |
public final class FuzzTargets {
    /*
     * The connection target keeps one server for the JVM (a fuzzer runs its inputs one after the
     * other in one thread) and a model that mirrors the server's store across inputs, so every
     * reply is predicted exactly without restarting anything between inputs.
     */
    /// The line limit of the fuzzed server: small, so the fuzzer reaches it.
    static final int MAX_LINE = 64;

    private static final Pattern WHITESPACE = Pattern.compile(
            "(?:[ \\t\\n\\u000b\\f\\r]|\\u00c2\\u0085|\\u00e1\\u009a\\u0080|\\u00e2\\u0080[\\u0080-\\u0086\\u0088-\\u008a\\u00a8\\u00a9]"
                    + "|\\u00e2\\u0081\\u009f|\\u00e3\\u0080\\u0080)+");

    private FuzzTargets() {}

    // ---- the parser ---------------------------------------------------------------------

    /// Checks `Command.parse` on `line`.
    public static void parse(byte[] line) {
        Command parsed = Command.parse(line);
        String text = new String(line, StandardCharsets.ISO_8859_1);
        List<String> tokens = new ArrayList<>(Arrays.asList(WHITESPACE.split(text, -1)));
        tokens.removeIf(String::isEmpty);
        Command expected = byArity(tokens);
        check(parsed.equals(expected), "parse(%s) = %s, but the tokens %s make %s", text, parsed, tokens, expected);
        for (String token : tokens) {
            byte[] bytes = Command.bytes(token);
            check(indexOf(line, bytes) >= 0, "token %s is not bytes of the line", token);
        }
        if (!(parsed instanceof Command.Unknown)) {
            Command again = Command.parse(render(parsed).getBytes(StandardCharsets.ISO_8859_1));
            check(again.equals(parsed), "%s printed back parses as %s", parsed, again);
        }
    }

    private static Command byArity(List<String> t) {
        if (t.isEmpty()) {
            return new Command.Unknown();
        }
        return switch (t.getFirst()) {
            case "CREATE" -> t.size() == 2 ? new Command.Create(t.get(1)) : new Command.Unknown();
            case "GET" -> t.size() == 3 ? new Command.Get(t.get(1), t.get(2)) : new Command.Unknown();
            case "PUT" -> t.size() == 4 ? new Command.Put(t.get(1), t.get(2), t.get(3)) : new Command.Unknown();
            case "DELETE" -> t.size() == 3 ? new Command.Delete(t.get(1), t.get(2)) : new Command.Unknown();
            default -> new Command.Unknown();
        };
    }

    private static String render(Command c) {
        return switch (c) {
            case Command.Create x -> "CREATE " + x.bucket() + "\n";
            case Command.Get x -> "GET " + x.bucket() + " " + x.key() + "\n";
            case Command.Put x -> "PUT " + x.bucket() + " " + x.key() + " " + x.value() + "\n";
            case Command.Delete x -> "DELETE " + x.bucket() + " " + x.key() + "\n";
            case Command.Unknown x -> "\n";
        };
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    // ---- the connection loop ------------------------------------------------------------

    private static @Nullable InetSocketAddress server;
    private static final Map<String, Map<String, String>> MODEL = new HashMap<>();

    /// Sends `input` on a fresh connection to the fuzzed server, half-closes, and checks
    /// everything it answers before it closes.
    public static void connection(byte[] input) {
        String expected = expectedReplies(input);
        String actual;
        try (Wire wire = new Wire(server(), 10_000)) {
            wire.send(input);
            wire.socket.shutdownOutput();
            actual = wire.toEnd();
        } catch (SocketTimeoutException hang) {
            throw new AssertionError("the server did not answer and close within 10 s: " + printable(input), hang);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        check(
                actual.equals(expected),
                "for %s the model expects %s but the server sent %s",
                printable(input),
                printable(expected),
                printable(actual));
    }

    /// What the server must send for `input`; advances the model as the server advances.
    private static String expectedReplies(byte[] input) {
        StringBuilder replies = new StringBuilder();
        int start = 0;
        for (int i = 0; i < input.length; i++) {
            if (input[i] != '\n') {
                continue;
            }
            int end = i > start && input[i - 1] == '\r' ? i - 1 : i;
            if (end - start > MAX_LINE) {
                return replies.append("ERROR line too long\r\n")
                        .append(Wire.EOF)
                        .toString();
            }
            replies.append(reply(Command.parse(input, start, i + 1)));
            start = i + 1;
        }
        if (input.length - start > MAX_LINE + 1) { // a partial line already too long
            replies.append("ERROR line too long\r\n");
        }
        return replies.append(Wire.EOF).toString();
    }

    private static String reply(Command c) {
        return switch (c) {
            case Command.Create x -> {
                MODEL.computeIfAbsent(x.bucket(), b -> new HashMap<>());
                yield "OK\r\n";
            }
            case Command.Put x -> {
                Map<String, String> b = MODEL.get(x.bucket());
                if (b != null) {
                    b.put(x.key(), x.value());
                }
                yield b == null ? "NOT FOUND\r\n" : "OK\r\n";
            }
            case Command.Get x -> {
                Map<String, String> b = MODEL.get(x.bucket());
                yield b == null ? "NOT FOUND\r\n" : b.getOrDefault(x.key(), "") + "\r\nOK\r\n";
            }
            case Command.Delete x -> {
                Map<String, String> b = MODEL.get(x.bucket());
                if (b != null) {
                    b.remove(x.key());
                }
                yield b == null ? "NOT FOUND\r\n" : "OK\r\n";
            }
            case Command.Unknown x -> "UNKNOWN COMMAND\r\n";
        };
    }

    /// The fuzzed server, started on first use and kept for the JVM's life.
    private static synchronized InetSocketAddress server() {
        InetSocketAddress at = server;
        if (at == null) {
            at = startServer();
            server = at;
        }
        return at;
    }

    private static InetSocketAddress startServer() {
        // Jazzer's SSRF detector flags every connection; this target connects to its own server.
        BugDetectors.allowNetworkConnections(
                (host, port) -> host.equals("localhost") || host.startsWith("127.") || host.equals("::1"));
        KvConfig kv = KvConfig.unique("fuzz");
        ServerConfig config =
                ServerConfig.defaults(kv).port(0).name("fuzz").limits(MAX_LINE, 1_000, Duration.ofSeconds(300));
        CompletableFuture<InetSocketAddress> started = new CompletableFuture<>();
        Kernel.spawn(
                () -> {
                    KvSupervisor.startLink(kv).orThrow();
                    KvServer.startLink(config).orThrow();
                    started.complete(KvServer.address(config).orElseThrow());
                    Kernel.receive(Match.none()); // holds the trees for the JVM's life
                },
                SpawnOptions.defaults().label("fuzzed server"));
        return started.join();
    }

    // ---- reporting ----------------------------------------------------------------------

    private static void check(boolean ok, String format, Object... args) {
        if (!ok) {
            Object[] shown = Arrays.stream(args).map(FuzzTargets::printable).toArray();
            throw new AssertionError(String.format(format, shown));
        }
    }

    private static String printable(Object o) {
        String s = o instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : String.valueOf(o);
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                sb.append(c);
            } else {
                sb.append(String.format(Locale.ROOT, "\\x%02X", (int) c & 0xff));
            }
        }
        return sb.append('"').toString();
    }
}
