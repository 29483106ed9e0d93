package dev.trellis.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/// `./kv bench load`: a closed-loop load generator for the KV protocol.
///
/// Each of `clients` connections creates a bucket of its own, then sends one request at a time
/// and waits for its reply before the next (closed loop), for `seconds`: a PUT or a GET of one of
/// 1,000 keys, chosen by `mix` (`get=50,put=50`: alternating). Latency of every request goes into
/// an HdrHistogram; a wrong or missing reply counts as an error (and the connection is reopened).
///
/// Prints progress every second, then ops/s and the p50/p99/p999 latency in microseconds; with
/// `--json` one object `{"ops_per_sec","p50_us","p99_us","p999_us","errors"}`.
public final class LoadGenerator {
    /*
     * One platform thread per client keeps the generator's own scheduling out of the server's
     * virtual-thread carriers' way as far as 2 cores allow. Latency is measured from before the
     * write to after the reply's last byte.
     */
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
            throws InterruptedException {
        Recorder recorder = new Recorder(3);
        AtomicLong errors = new AtomicLong();
        AtomicLong ops = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int id = c;
            threads.add(Thread.ofPlatform()
                    .name("load-" + c)
                    .start(() -> client(target, id, end, getPercent, recorder, ops, errors)));
        }
        Histogram total = new Histogram(3);
        long started = System.nanoTime();
        long lastOps = 0;
        while (System.nanoTime() < end) {
            Thread.sleep(1000);
            long now = ops.get();
            progress.printf(Locale.ROOT, "  %,d ops/s%n", now - lastOps);
            lastOps = now;
        }
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        total.add(recorder.getIntervalHistogram());
        return new Result(
                ops.get() / elapsed,
                total.getValueAtPercentile(50) / 1000.0,
                total.getValueAtPercentile(99) / 1000.0,
                total.getValueAtPercentile(99.9) / 1000.0,
                errors.get());
    }

    private static void client(
            InetSocketAddress target,
            int id,
            long end,
            int getPercent,
            Recorder recorder,
            AtomicLong ops,
            AtomicLong errors) {
        String bucket = "load" + id;
        boolean get = false;
        byte[] reply = new byte[64];
        while (System.nanoTime() < end) {
            try (Socket s = new Socket(target.getAddress(), target.getPort())) {
                s.setTcpNoDelay(true);
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                if (!request(out, in, "CREATE " + bucket + "\r\n", 1, reply)) {
                    errors.incrementAndGet();
                    continue;
                }
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (System.nanoTime() < end) {
                    get = getPercent == 50 ? !get : random.nextInt(100) < getPercent;
                    int key = random.nextInt(1000);
                    long t0 = System.nanoTime();
                    boolean ok = get
                            ? request(out, in, "GET " + bucket + " k" + key + "\r\n", 2, reply)
                            : request(out, in, "PUT " + bucket + " k" + key + " " + key + "\r\n", 1, reply);
                    recorder.recordValue(System.nanoTime() - t0);
                    if (!ok) {
                        errors.incrementAndGet();
                        break;
                    }
                    ops.incrementAndGet();
                }
            } catch (IOException e) {
                errors.incrementAndGet();
            }
        }
    }

    /// Sends `line` and reads its reply of `lines` lines into `buf`; whether it ends in OK.
    /// The closed loop has one reply in flight, so a read never takes bytes of the next one.
    private static boolean request(OutputStream out, InputStream in, String line, int lines, byte[] buf)
            throws IOException {
        out.write(line.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        int n = 0;
        int seen = 0;
        while (seen < lines) {
            int got = in.read(buf, n, buf.length - n);
            if (got < 0) {
                return false;
            }
            for (int i = n; i < n + got; i++) {
                if (buf[i] == '\n') {
                    seen++;
                }
            }
            n += got;
            if (n == buf.length && seen < lines) {
                return false;
            }
        }
        return seen == lines && new String(buf, 0, n, StandardCharsets.ISO_8859_1).endsWith("OK\r\n");
    }
}
