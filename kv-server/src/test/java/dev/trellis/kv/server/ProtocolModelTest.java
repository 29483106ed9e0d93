package dev.trellis.kv.server;

import dev.trellis.kv.KvConfig;
import dev.trellis.kv.KvSupervisor;
import dev.trellis.otp.testkit.ModelCheck;
import dev.trellis.otp.testkit.OtpTest;
import dev.trellis.otp.testkit.StateMachine;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/// The TCP protocol against an in-memory model, over real sockets to one server: random
/// creates, puts, gets and deletes of byte-string names, keys and values (invalid UTF-8, NUL,
/// non-breaking spaces), laid out with random whitespace (tabs, `\v`, `\f`, `\r`, Unicode
/// spaces) and line ends, malformed lines, pipelined batches, half-closes, partial lines cut by
/// FIN or RST, over-long lines and reconnects. The model predicts every reply byte for byte.
///
/// 200 seeds of 200 commands by default; `-Dtrellis.long=true` runs ten times as many from a
/// random seed. Each run has its own bucket-name prefix, so runs sharing the server never meet.
@OtpTest
class ProtocolModelTest {
    static final int MAX_LINE = 1024;
    private static final AtomicInteger RUNS = new AtomicInteger();

    static final String[] NAMES = {"a", "b", "\u00ff\u0000", "\u00c3\u00a9", "x\u00c2\u00a0y"};
    static final String[] KEYS = {"k", "\u0000", "\u00e2\u0080\u00af", "K"};
    static final String[] VALUES = {"1", "v2", "\u00ff\u00fe", "OK", "\u00e2\u0080\u0087", "UNKNOWN"};
    /// Whitespace of `String.split/1`, as UTF-8 bytes in ISO-8859-1 characters.
    static final String[] SPACES = {
        " ",
        " ",
        "\t",
        "\u000b",
        "\f",
        "\r",
        "  ",
        "\u00e3\u0080\u0080",
        "\u00e2\u0080\u00a8",
        "\u00c2\u0085",
        "\u00e2\u0080\u0083"
    };
    /// Lines that are no command; `%n` is a bucket name of the run.
    static final String[] MALFORMED = {
        "put %n k v",
        "PUT %n k",
        "PUT %n k v w",
        "GET %n",
        "GET %n k x",
        "CREATE",
        "CREATE %n %n",
        "DELETE %n",
        "",
        "   ",
        "HELLO",
        "\u00ff\u00fe",
        "Get %n k",
        "CREATE\u00c2\u00a0%n"
    };

    sealed interface Cmd {}

    /// A command of the protocol; `style` picks its whitespace and line end (0: plain).
    sealed interface Request extends Cmd {}

    record Create(String name, int style) implements Request {}

    record Put(String name, String key, String value, int style) implements Request {}

    record Get(String name, String key, int style) implements Request {}

    record Delete(String name, String key, int style) implements Request {}

    record Malformed(int template, String name) implements Request {}

    /// Several requests in one write.
    record Batch(List<Request> requests) implements Cmd {}

    /// Requests, then a half-close: every complete line is answered, then the server closes.
    record HalfClose(List<Request> requests, String partial) implements Cmd {}

    /// A PUT without its line end, then the connection closed (FIN) or reset (RST).
    record Partial(Put put, boolean reset) implements Cmd {}

    /// A line longer than the limit: refused, connection closed, nothing stored.
    record TooLong(String name) implements Cmd {}

    record Reconnect(boolean reset) implements Cmd {}

    static final String EOF = "<EOF>";

    /// The bytes of one request line.
    static String render(Request r, String prefix) {
        return switch (r) {
            case Create c -> layout(c.style(), "CREATE", prefix + c.name());
            case Put p -> layout(p.style(), "PUT", prefix + p.name(), p.key(), p.value());
            case Get g -> layout(g.style(), "GET", prefix + g.name(), g.key());
            case Delete d -> layout(d.style(), "DELETE", prefix + d.name(), d.key());
            case Malformed m -> MALFORMED[m.template()].replace("%n", prefix + m.name()) + "\n";
        };
    }

    private static String layout(int style, String... tokens) {
        if (style == 0) {
            return String.join(" ", tokens) + "\n";
        }
        SplittableRandom r = new SplittableRandom(style);
        StringBuilder sb = new StringBuilder();
        if (r.nextInt(4) == 0) {
            sb.append(SPACES[r.nextInt(SPACES.length)]);
        }
        for (int i = 0; i < tokens.length; i++) {
            if (i > 0) {
                sb.append(SPACES[r.nextInt(SPACES.length)]);
            }
            sb.append(tokens[i]);
        }
        if (r.nextInt(4) == 0) {
            sb.append(SPACES[r.nextInt(SPACES.length)]);
        }
        return sb.append(r.nextBoolean() ? "\r\n" : "\n").toString();
    }

    /// The model: bucket name (without the run's prefix) to its contents.
    static final class Model {
        final Map<String, Map<String, String>> buckets = new HashMap<>();

        @Override
        public String toString() {
            return "Model" + buckets;
        }

        String reply(Request r) {
            return switch (r) {
                case Create c -> {
                    buckets.computeIfAbsent(c.name(), n -> new HashMap<>());
                    yield "OK\r\n";
                }
                case Put p -> {
                    Map<String, String> b = buckets.get(p.name());
                    if (b == null) {
                        yield "NOT FOUND\r\n";
                    }
                    b.put(p.key(), p.value());
                    yield "OK\r\n";
                }
                case Get g -> {
                    Map<String, String> b = buckets.get(g.name());
                    yield b == null ? "NOT FOUND\r\n" : b.getOrDefault(g.key(), "") + "\r\nOK\r\n";
                }
                case Delete d -> {
                    Map<String, String> b = buckets.get(d.name());
                    if (b == null) {
                        yield "NOT FOUND\r\n";
                    }
                    b.remove(d.key());
                    yield "OK\r\n";
                }
                case Malformed m -> "UNKNOWN COMMAND\r\n";
            };
        }
    }

    /// One run's connection and bucket prefix.
    static final class Wire implements AutoCloseable {
        final InetSocketAddress at;
        final String prefix;
        Socket socket;
        InputStream in;

        Wire(InetSocketAddress at, String prefix) throws IOException {
            this.at = at;
            this.prefix = prefix;
            this.socket = open();
            this.in = new BufferedInputStream(socket.getInputStream());
        }

        private Socket open() throws IOException {
            Socket s = new Socket(at.getAddress(), at.getPort());
            s.setSoTimeout(10_000);
            s.setTcpNoDelay(true);
            return s;
        }

        void reconnect(boolean reset) throws IOException {
            if (reset) {
                socket.setSoLinger(true, 0);
            }
            socket.close();
            socket = open();
            in = new BufferedInputStream(socket.getInputStream());
        }

        void send(String bytes) throws IOException {
            socket.getOutputStream().write(bytes.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
        }

        String line() throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int c = in.read(); c >= 0; c = in.read()) {
                out.write(c);
                if (c == '\n') {
                    return out.toString(StandardCharsets.ISO_8859_1);
                }
            }
            return out.toString(StandardCharsets.ISO_8859_1) + EOF;
        }

        /// The reply to `r`, read by its shape: a GET's value line is followed by OK.
        String reply(Request r) throws IOException {
            String first = line();
            return r instanceof Get && !first.equals("NOT FOUND\r\n") && !first.endsWith(EOF) ? first + line() : first;
        }

        String toEnd() throws IOException {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1) + EOF;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    record ProtocolMachine(InetSocketAddress at) implements StateMachine<Model, Wire, Cmd> {
        @Override
        public Model model(SplittableRandom random) {
            return new Model();
        }

        @Override
        public Wire start(Model model) throws IOException {
            return new Wire(at, "r" + RUNS.incrementAndGet() + "_");
        }

        @Override
        public void stop(Wire wire) throws IOException {
            wire.close();
        }

        @Override
        public Cmd command(Model model, SplittableRandom random) {
            int roll = random.nextInt(100);
            if (roll < 70) {
                return request(model, random);
            } else if (roll < 82) {
                return new Batch(requests(model, random));
            } else if (roll < 88) {
                String partial = random.nextBoolean() ? "" : "PUT " + NAMES[0] + " k half";
                return new HalfClose(requests(model, random), partial);
            } else if (roll < 93) {
                return new Partial((Put) put(random), random.nextBoolean());
            } else if (roll < 96) {
                return new TooLong(NAMES[random.nextInt(NAMES.length)]);
            }
            return new Reconnect(random.nextBoolean());
        }

        private static List<Request> requests(Model model, SplittableRandom random) {
            List<Request> out = new ArrayList<>();
            for (int i = random.nextInt(2, 7); i > 0; i--) {
                out.add(request(model, random));
            }
            return out;
        }

        private static Request request(Model model, SplittableRandom random) {
            String name = NAMES[random.nextInt(NAMES.length)];
            String key = KEYS[random.nextInt(KEYS.length)];
            int style = random.nextBoolean() ? 0 : random.nextInt(1, 1_000_000);
            int roll = random.nextInt(100);
            if (roll < 15 || (roll < 40 && model.buckets.isEmpty())) {
                return new Create(name, style);
            } else if (roll < 45) {
                return put(random);
            } else if (roll < 75) {
                return new Get(name, key, style);
            } else if (roll < 88) {
                return new Delete(name, key, style);
            }
            return new Malformed(random.nextInt(MALFORMED.length), name);
        }

        private static Request put(SplittableRandom random) {
            String value = random.nextInt(3) == 0
                    ? Integer.toString(random.nextInt(1_000_000))
                    : VALUES[random.nextInt(VALUES.length)];
            int style = random.nextBoolean() ? 0 : random.nextInt(1, 1_000_000);
            return new Put(NAMES[random.nextInt(NAMES.length)], KEYS[random.nextInt(KEYS.length)], value, style);
        }

        @Override
        public Object expect(Model model, Cmd command) {
            return switch (command) {
                case Request r -> model.reply(r);
                case Batch b -> replies(model, b.requests());
                case HalfClose h -> replies(model, h.requests()) + EOF;
                case Partial p -> "discarded";
                case TooLong t -> Connection.LINE_TOO_LONG + EOF;
                case Reconnect r -> "reconnected";
            };
        }

        private static String replies(Model model, List<Request> requests) {
            StringBuilder sb = new StringBuilder();
            requests.forEach(r -> sb.append(model.reply(r)));
            return sb.toString();
        }

        @Override
        public Object run(Wire wire, Cmd command) throws IOException {
            switch (command) {
                case Request r -> {
                    wire.send(render(r, wire.prefix));
                    return wire.reply(r);
                }
                case Batch b -> {
                    wire.send(lines(b.requests(), wire.prefix));
                    return replies(wire, b.requests());
                }
                case HalfClose h -> {
                    wire.send(lines(h.requests(), wire.prefix) + h.partial());
                    wire.socket.shutdownOutput();
                    String replies = replies(wire, h.requests()) + wire.toEnd();
                    wire.reconnect(false);
                    return replies;
                }
                case Partial p -> {
                    String line = render(p.put(), wire.prefix);
                    wire.send(line.substring(0, line.length() - 1));
                    wire.reconnect(p.reset());
                    return "discarded";
                }
                case TooLong t -> {
                    wire.send("PUT " + wire.prefix + t.name() + " k " + "x".repeat(MAX_LINE) + "\n");
                    String reply = wire.toEnd();
                    wire.reconnect(false);
                    return reply;
                }
                case Reconnect r -> {
                    wire.reconnect(r.reset());
                    return "reconnected";
                }
            }
        }

        private static String lines(List<Request> requests, String prefix) {
            StringBuilder sb = new StringBuilder();
            requests.forEach(r -> sb.append(render(r, prefix)));
            return sb.toString();
        }

        private static String replies(Wire wire, List<Request> requests) throws IOException {
            StringBuilder sb = new StringBuilder();
            for (Request r : requests) {
                String reply = wire.reply(r);
                sb.append(reply);
                if (reply.endsWith(EOF)) {
                    break;
                }
            }
            return sb.toString();
        }

        @Override
        public List<Cmd> shrink(Cmd command) {
            return switch (command) {
                case Batch b
                when b.requests().size() > 1 ->
                    b.requests().stream().map(r -> (Cmd) r).toList();
                case HalfClose h when !h.partial().isEmpty() -> List.of(new HalfClose(h.requests(), ""));
                case Create c when c.style() != 0 -> List.of(new Create(c.name(), 0));
                case Put p when p.style() != 0 -> List.of(new Put(p.name(), p.key(), p.value(), 0));
                case Get g when g.style() != 0 -> List.of(new Get(g.name(), g.key(), 0));
                case Delete d when d.style() != 0 -> List.of(new Delete(d.name(), d.key(), 0));
                default -> List.of();
            };
        }
    }

    @Test
    void theServerAnswersEveryRequestAsTheModelPredicts() throws Exception {
        KvConfig kv = KvConfig.unique("protocol_model");
        KvSupervisor.startLink(kv).orThrow();
        ServerConfig config = ServerConfig.defaults(kv)
                .port(0)
                .name("protocol_model")
                .limits(MAX_LINE, 1000, Duration.ofSeconds(300));
        KvServer.startLink(config).orThrow();
        InetSocketAddress at = KvServer.address(config).orElseThrow();
        ModelCheck.of(new ProtocolMachine(at)).seeds(200).length(200).check();
    }
}
