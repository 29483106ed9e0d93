package dev.trellis.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/// `./kv bench load`: a closed-loop load generator for the KV protocol.
///
/// Each of `clients` connections creates a bucket of its own, then sends one request at a time
/// and waits for its reply before the next (closed loop: one request in flight per connection,
/// no pipelining), for `seconds`: a PUT or a GET of one of 1,000 keys, chosen by `mix`
/// (`get=50,put=50`: alternating). Latency of every request, from before its write to after the
/// last byte of its reply, goes into an HdrHistogram; a wrong reply, a closed connection or a
/// reply missing for 10 s counts as an error (and the connection is reopened).
///
/// Prints progress every second, then ops/s and the p50/p99/p999 latency in microseconds; with
/// `--json` one object `{"ops_per_sec","p50_us","p99_us","p999_us","errors"}`.
public final class LoadGenerator {
    /*
     * One thread drives every connection through a Selector (as wrk does): the generator shares
     * the machine's 2 cores with the server, and 64 platform threads blocked in 64 reads cost a
     * context switch and a poll per request, which made the generator the bottleneck. Here a
     * request costs a write and a read, and one epoll_wait serves every reply that is ready.
     * A reply is complete when its expected number of lines (GET: 2, else 1) has arrived; the
     * closed loop has one reply in flight, so a read never takes bytes of the next one.
     */
    private static final long REPLY_TIMEOUT = 10_000_000_000L;
    private static final long RETRY_DELAY = 100_000_000L;

    private LoadGenerator() {}

    /// The outcome of a run.
    ///
    /// @param opsPerSec requests answered per second
    /// @param p50Us median latency in microseconds
    /// @param p99Us 99th percentile
    /// @param p999Us 99.9th percentile
    /// @param errors wrong, missing or failed replies
    public record Result(double opsPerSec, double p50Us, double p99Us, double p999Us, long errors) {
        /// The JSON line of `--json`.
        public String json() {
            return String.format(
                    Locale.ROOT,
                    "{\"ops_per_sec\":%.0f,\"p50_us\":%.1f,\"p99_us\":%.1f,\"p999_us\":%.1f,\"errors\":%d}",
                    opsPerSec,
                    p50Us,
                    p99Us,
                    p999Us,
                    errors);
        }

        /// A line for people.
        public String human() {
            return String.format(
                    Locale.ROOT,
                    "%,.0f ops/s  p50 %.1f us  p99 %.1f us  p999 %.1f us  errors %d",
                    opsPerSec,
                    p50Us,
                    p99Us,
                    p999Us,
                    errors);
        }
    }

    /// Runs the load against `target`; `getPercent` of the requests are GETs (50: alternating).
    public static Result run(InetSocketAddress target, int clients, int seconds, int getPercent, PrintStream progress)
            throws IOException {
        Histogram latencies = new Histogram(3);
        long errors = 0;
        long ops = 0;
        try (Selector selector = Selector.open()) {
            List<Client> all = new ArrayList<>(clients);
            for (int c = 0; c < clients; c++) {
                all.add(new Client("load" + c, getPercent));
            }
            for (Client c : all) {
                errors += c.open(target, selector);
            }
            long started = System.nanoTime();
            long end = started + seconds * 1_000_000_000L;
            long nextReport = started + 1_000_000_000L;
            long lastOps = 0;
            for (long now = started; now < end; now = System.nanoTime()) {
                selector.select(Math.max(1, Math.min(100, (nextReport - now) / 1_000_000)));
                Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
                while (ready.hasNext()) {
                    SelectionKey key = ready.next();
                    ready.remove();
                    Client c = (Client) key.attachment();
                    switch (c.onReadable()) {
                        case DONE -> {
                            if (c.creating) {
                                c.creating = false;
                            } else {
                                latencies.recordValue(System.nanoTime() - c.sentAt);
                                ops++;
                            }
                            if (!c.send()) {
                                errors += 1 + c.open(target, selector);
                            }
                        }
                        case PARTIAL -> {}
                        case FAILED -> errors += 1 + c.open(target, selector);
                    }
                }
                now = System.nanoTime();
                for (Client c : all) {
                    if (c.stuck(now)) {
                        errors += (c.channel == null ? 0 : 1) + c.open(target, selector);
                    }
                }
                if (now >= nextReport) {
                    progress.printf(Locale.ROOT, "  %,d ops/s%n", ops - lastOps);
                    lastOps = ops;
                    nextReport += 1_000_000_000L;
                }
            }
            double elapsed = (System.nanoTime() - started) / 1e9;
            for (Client c : all) {
                c.close();
            }
            return new Result(
                    ops / elapsed,
                    latencies.getValueAtPercentile(50) / 1000.0,
                    latencies.getValueAtPercentile(99) / 1000.0,
                    latencies.getValueAtPercentile(99.9) / 1000.0,
                    errors);
        }
    }

    private enum Progress {
        DONE,
        PARTIAL,
        FAILED
    }

    /// One connection: its bucket, the request in flight and the reply read so far.
    private static final class Client {
        private final String bucket;
        private final int getPercent;
        private final ByteBuffer reply = ByteBuffer.allocate(256);
        private @Nullable SocketChannel channel;
        private boolean get;
        private int linesExpected;
        private int linesSeen;
        private long sentAt;
        /// The reply awaited is the CREATE's, which is not counted.
        boolean creating;

        Client(String bucket, int getPercent) {
            this.bucket = bucket;
            this.getPercent = getPercent;
        }

        /// (Re)connects and sends the CREATE of its bucket; 1 if that failed (retried later).
        int open(InetSocketAddress target, Selector selector) {
            close();
            try {
                SocketChannel ch = SocketChannel.open(target);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.configureBlocking(false);
                ch.register(selector, SelectionKey.OP_READ, this);
                channel = ch;
                creating = true;
                write("CREATE " + bucket + "\r\n", 1);
                return 0;
            } catch (IOException e) {
                close();
                sentAt = System.nanoTime();
                return 1;
            }
        }

        /// Whether this connection is gone, or its reply is overdue.
        boolean stuck(long now) {
            return channel == null ? now - sentAt > RETRY_DELAY : now - sentAt > REPLY_TIMEOUT;
        }

        boolean send() {
            get = getPercent == 50 ? !get : ThreadLocalRandom.current().nextInt(100) < getPercent;
            int key = ThreadLocalRandom.current().nextInt(1000);
            try {
                if (get) {
                    write("GET " + bucket + " k" + key + "\r\n", 2);
                } else {
                    write("PUT " + bucket + " k" + key + " " + key + "\r\n", 1);
                }
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        private void write(String line, int lines) throws IOException {
            SocketChannel ch = Objects.requireNonNull(channel);
            ByteBuffer out = ByteBuffer.wrap(line.getBytes(StandardCharsets.ISO_8859_1));
            reply.clear();
            linesExpected = lines;
            linesSeen = 0;
            sentAt = System.nanoTime();
            while (out.hasRemaining()) {
                ch.write(out);
            }
        }

        Progress onReadable() {
            SocketChannel ch = channel;
            if (ch == null) {
                return Progress.PARTIAL;
            }
            try {
                int from = reply.position();
                if (ch.read(reply) < 0) {
                    return Progress.FAILED;
                }
                for (int i = from; i < reply.position(); i++) {
                    if (reply.get(i) == '\n') {
                        linesSeen++;
                    }
                }
                if (linesSeen < linesExpected) {
                    return reply.hasRemaining() ? Progress.PARTIAL : Progress.FAILED;
                }
                return linesSeen == linesExpected && endsWithOk() ? Progress.DONE : Progress.FAILED;
            } catch (IOException e) {
                return Progress.FAILED;
            }
        }

        private boolean endsWithOk() {
            int n = reply.position();
            return n >= 4
                    && reply.get(n - 4) == 'O'
                    && reply.get(n - 3) == 'K'
                    && reply.get(n - 2) == '\r'
                    && reply.get(n - 1) == '\n';
        }

        void close() {
            SocketChannel ch = channel;
            channel = null;
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // closing a connection we give up on
                }
            }
        }
    }
}
