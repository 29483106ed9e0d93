package dev.trellis.reliability;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/// One abusive client of a [Soak]: until the deadline, one misbehaviour after another, each on a
/// connection of its own. Their replies are not checked (beyond not hanging the client); what
/// counts is that the well-formed clients and the server do not notice.
final class AbusiveClient {
    /// The misbehaviours, chosen at random.
    enum Abuse {
        /// Random bytes, newlines among them; the replies are read.
        GARBAGE,
        /// Lines of invalid UTF-8 and stray continuation bytes; the replies are read.
        INVALID_UTF8,
        /// A line far over the limit: answered `ERROR line too long` and closed.
        HUGE_LINE,
        /// Many pipelined GETs of a large value, never read: cut off by the write timeout.
        SLOW_READER,
        /// Half a request, then a reset.
        RESET_MID_LINE,
        /// Connections opened and closed (half of them reset) at once, in a burst.
        CONNECT_CLOSE_FLOOD
    }

    private final int id;
    private final InetSocketAddress at;
    private final int maxLine;
    private final long writeTimeoutNanos;
    private final Soak.Shared shared;
    private final SplittableRandom random;

    AbusiveClient(int id, InetSocketAddress at, int maxLine, long writeTimeoutNanos, Soak.Shared shared, long seed) {
        this.id = id;
        this.at = at;
        this.maxLine = maxLine;
        this.writeTimeoutNanos = writeTimeoutNanos;
        this.shared = shared;
        this.random = new SplittableRandom(seed);
    }

    void run(long deadline) {
        Abuse[] all = Abuse.values();
        while (System.nanoTime() < deadline) {
            Abuse abuse = all[random.nextInt(all.length)];
            try {
                abuse(abuse, deadline);
            } catch (IOException expected) {
                // the server may close on us at any point: that is its right
            }
        }
    }

    private void abuse(Abuse abuse, long deadline) throws IOException {
        if (abuse == Abuse.CONNECT_CLOSE_FLOOD) {
            for (int i = 0; i < 50; i++) {
                Wire w = open();
                if (i % 2 == 0) {
                    w.reset();
                } else {
                    w.close();
                }
            }
            return;
        }
        try (Wire w = open()) {
            switch (abuse) {
                case GARBAGE -> {
                    byte[] junk = new byte[random.nextInt(1, 4096)];
                    for (int i = 0; i < junk.length; i++) {
                        junk[i] = random.nextInt(8) == 0 ? (byte) '\n' : (byte) random.nextInt(256);
                    }
                    w.send(junk);
                    w.send("\n");
                    w.socket.shutdownOutput();
                    w.toEnd();
                }
                case INVALID_UTF8 -> {
                    StringBuilder lines = new StringBuilder();
                    for (int i = 0; i < 20; i++) {
                        lines.append("PUT \u00ff\u00fe k\u00c0 \u0080\u00bf\nGET \u00ed\u00a0\u0080 \u00f8\n");
                        lines.append("CREATE \u00c3\u0028\u00e2\u0082\n\u00c2\n");
                    }
                    w.send(lines.toString());
                    w.socket.shutdownOutput();
                    w.toEnd();
                }
                case HUGE_LINE -> {
                    byte[] line = ("PUT abuse" + id + " k " + "x".repeat(maxLine + 1 + random.nextInt(maxLine)) + "\n")
                            .getBytes(StandardCharsets.ISO_8859_1);
                    w.send(line);
                    w.toEnd();
                }
                case SLOW_READER -> {
                    String bucket = "slow" + id;
                    w.send("CREATE " + bucket + "\nPUT " + bucket + " k " + "v".repeat(8192) + "\n");
                    w.send(("GET " + bucket + " k\n").repeat(4000)); // ~32 MB of replies, never read
                    // Stay connected past the write timeout (or the deadline), then leave.
                    long until = Math.min(System.nanoTime() + writeTimeoutNanos * 2, deadline);
                    while (System.nanoTime() < until && !w.socket.isClosed()) {
                        TimeUnit.MILLISECONDS.sleep(50);
                    }
                    w.reset();
                }
                case RESET_MID_LINE -> {
                    w.send("PUT abuse" + id + " k half-a-li");
                    w.reset();
                }
                case CONNECT_CLOSE_FLOOD -> throw new AssertionError("handled above");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Wire open() throws IOException {
        shared.abusiveConnections.increment();
        return new Wire(at, 10_000);
    }
}
