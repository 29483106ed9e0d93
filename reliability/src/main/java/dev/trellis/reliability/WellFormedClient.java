package dev.trellis.reliability;

import dev.trellis.kv.KvRegistry;
import dev.trellis.otp.Pid;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/// One well-formed client of a [Soak]: creates, writes, reads and deletes in buckets of its own,
/// checking every reply against a model of them.
final class WellFormedClient {
    /*
     * Exact accounting of bucket kills: the killer looks a bucket up, records its pid in
     * `killed`, then kills it. After each CREATE the client looks up which bucket its name
     * denotes (in-process, for accounting only). A NOT FOUND for a bucket the model holds is
     * correct exactly when that bucket is one the killer recorded; the model then forgets it
     * and the client creates it again. Any other difference from the model is a wrong reply,
     * and so is a connection lost or a reply not received within 10 s.
     */
    static final int BUCKETS = 4;
    private static final int KEYS = 8;

    private final int id;
    private final InetSocketAddress at;
    private final String registry;
    private final Soak.Shared shared;
    private final SplittableRandom random;
    private final Map<String, Map<String, String>> model = new HashMap<>();
    private final Map<String, Pid> incarnation = new HashMap<>();

    WellFormedClient(int id, InetSocketAddress at, String registry, Soak.Shared shared, long seed) {
        this.id = id;
        this.at = at;
        this.registry = registry;
        this.shared = shared;
        this.random = new SplittableRandom(seed);
    }

    /// The name of this client's bucket `n`.
    static String bucket(int client, int n) {
        return "c" + client + "-b" + n;
    }

    void run(long deadline) {
        while (System.nanoTime() < deadline) {
            try (Wire wire = new Wire(at, 10_000)) {
                for (int i = 0; i < 500 && System.nanoTime() < deadline; i++) {
                    if (!step(wire)) {
                        break; // the connection is unusable; open another
                    }
                }
            } catch (IOException e) {
                shared.wrong("client " + id + ": " + e);
            }
        }
    }

    /// One request (or a pipelined batch); `false` if the connection was lost.
    private boolean step(Wire wire) throws IOException {
        if (random.nextInt(10) == 0) {
            return batch(wire);
        }
        String name = bucket(id, random.nextInt(BUCKETS));
        Request r = next(name);
        apply(r);
        wire.send(r.line());
        return check(r, wire.reply(r.get()));
    }

    /// A few requests in one write, then their replies in order.
    private boolean batch(Wire wire) throws IOException {
        Request[] rs = new Request[random.nextInt(2, 6)];
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < rs.length; i++) {
            rs[i] = next(bucket(id, random.nextInt(BUCKETS)));
            lines.append(rs[i].line());
            if (rs[i].expected() == null) {
                // a CREATE: its effect on the model is known only once answered; stop the batch here
                rs = Arrays.copyOf(rs, i + 1);
                break;
            }
            apply(rs[i]);
        }
        wire.send(lines.toString());
        for (Request r : rs) {
            if (!check(r, wire.reply(r.get()))) {
                return false;
            }
        }
        return true;
    }

    /// A request and the reply the model expects (null for a CREATE, checked on its own).
    private record Request(
            String name, String line, boolean get, @Nullable String expected, Consumer<Map<String, String>> effect) {}

    private Request next(String name) {
        Map<String, String> bucket = model.get(name);
        if (bucket == null) {
            return new Request(name, "CREATE " + name + "\r\n", false, null, b -> {});
        }
        String key = "k" + random.nextInt(KEYS);
        return switch (random.nextInt(3)) {
            case 0 -> {
                String value = Long.toString(random.nextLong(1_000_000_000L));
                yield new Request(
                        name,
                        "PUT " + name + " " + key + " " + value + "\r\n",
                        false,
                        "OK\r\n",
                        b -> b.put(key, value));
            }
            case 1 ->
                new Request(
                        name,
                        "GET " + name + " " + key + "\r\n",
                        true,
                        bucket.getOrDefault(key, "") + "\r\nOK\r\n",
                        b -> {});
            default -> new Request(name, "DELETE " + name + " " + key + "\r\n", false, "OK\r\n", b -> b.remove(key));
        };
    }

    private void apply(Request r) {
        Map<String, String> bucket = model.get(r.name());
        if (bucket != null) {
            r.effect().accept(bucket);
        }
    }

    /// Checks `reply` to `r`; `false` if the connection was lost.
    private boolean check(Request r, String reply) {
        shared.requests.increment();
        if (reply.endsWith(Wire.EOF)) {
            shared.wrong(
                    "client " + id + ": connection closed after " + r.line().strip() + ", got " + reply);
            return false;
        }
        if (r.expected() == null) { // CREATE
            if (!reply.equals("OK\r\n")) {
                shared.wrong("client " + id + ": " + r.line().strip() + " -> " + reply.strip());
                return true;
            }
            Optional<Pid> bucket = KvRegistry.lookup(registry, r.name());
            if (bucket.isPresent()) { // else it was killed already: the next request creates it again
                model.put(r.name(), new HashMap<>());
                incarnation.put(r.name(), bucket.get());
            }
            return true;
        }
        if (reply.equals(r.expected())) {
            if (!model.containsKey(r.name())) { // a batch member after a NOT FOUND in the same batch
                shared.wrong("client " + id + ": " + r.line().strip() + " found a bucket that was gone");
            }
            return true;
        }
        Pid gone = incarnation.get(r.name());
        if (reply.equals("NOT FOUND\r\n") && (gone == null || shared.killed.contains(gone))) {
            model.remove(r.name()); // killed: forget it; the next request creates it again
            incarnation.remove(r.name());
            return true;
        }
        shared.wrong("client " + id + ": " + r.line().strip() + " expected "
                + r.expected().strip() + ", got " + reply.strip());
        return true;
    }
}
