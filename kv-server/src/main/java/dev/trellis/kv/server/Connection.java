package dev.trellis.kv.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/// One client connection: reads request lines, answers each in order, and closes (the guide's
/// `KVServer.serve/1`). Runs as a temporary child of the connection supervisor, so a crash here
/// touches no other connection and not the acceptor.
final class Connection {
    /*
     * Framing: bytes accumulate in `buf`; every complete line (ending in \n) is parsed and run in
     * arrival order, and the replies of one read are written together (pipelining costs one write),
     * in chunks of at most about FLUSH_AT bytes: one read of 64 KiB can hold thousands of GETs of
     * a 64 KiB value, and their replies must not be held in memory all at once.
     * A partial line waits for more bytes; at end of input (FIN, half-close or reset) it is
     * discarded, while every complete line read before is executed.
     *
     * Limits: a line whose content (without its \n and a preceding \r) exceeds maxLine bytes —
     * complete or still partial — gets "ERROR line too long" and a graceful close: shut down
     * output so the reply is delivered, drain input briefly, then close; none of it is run.
     * Idle and stalled clients: the [Watchdog] closes the socket when one read waits longer than
     * the idle timeout, or one write longer than the write timeout; the blocked read or write then
     * fails and the connection ends.
     */
    static final String LINE_TOO_LONG = "ERROR line too long\r\n";

    /// Replies are written once this many characters (bytes) of them are pending.
    static final int FLUSH_AT = 64 * 1024;

    private final Socket socket;
    private final ServerConfig config;
    private final Watchdog.Watched watched;

    private Connection(Socket socket, ServerConfig config) {
        this.socket = socket;
        this.config = config;
        this.watched = Watchdog.watch(
                config.idleTimeout().toNanos(), config.writeTimeout().toNanos(), this::closeQuietly);
    }

    /// Serves `socket` until the client leaves, misbehaves or idles; always closes it.
    static void serve(Socket socket, ServerConfig config) throws IOException {
        try (socket) {
            Connection c = new Connection(socket, config);
            try {
                c.loop();
            } catch (SocketException resetOrCutOff) {
                // a write failed: the client reset the connection, or the watchdog closed it under
                // a stalled write. The connection ends normally: no crash report for either.
            } finally {
                c.watched.cancel();
            }
        }
    }

    private void loop() throws IOException {
        socket.setTcpNoDelay(true);
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        int limit = config.maxLine() + 2; // content + optional \r + \n
        byte[] buf = new byte[Math.min(limit, 8192)];
        int len = 0;
        int scanned = 0;
        StringBuilder replies = new StringBuilder();
        for (; ; ) {
            int n;
            watched.reading(true);
            try {
                n = in.read(buf, len, buf.length - len);
            } catch (SocketException resetOrClosedByTheWatchdog) {
                return;
            } finally {
                watched.reading(false);
            }
            if (n < 0) {
                return; // the client closed (or half-closed) its side; a partial line is dropped
            }
            len += n;
            int start = 0;
            for (int i = scanned; i < len; i++) {
                if (buf[i] != '\n') {
                    continue;
                }
                int end = i > start && buf[i - 1] == '\r' ? i - 1 : i;
                if (end - start > config.maxLine()) {
                    write(out, replies);
                    refuse(in, out);
                    return;
                }
                replies.append(Executor.run(
                        Command.parse(buf, start, i + 1), config.kv().registry()));
                if (replies.length() >= FLUSH_AT) {
                    write(out, replies);
                }
                start = i + 1;
            }
            write(out, replies);
            System.arraycopy(buf, start, buf, 0, len - start);
            len -= start;
            scanned = len;
            if (len > config.maxLine() + 1) { // a partial line already too long
                refuse(in, out);
                return;
            }
            if (len == buf.length) {
                buf = Arrays.copyOf(buf, Math.min(limit, buf.length * 2));
            }
        }
    }

    private void write(OutputStream out, StringBuilder replies) throws IOException {
        if (replies.isEmpty()) {
            return;
        }
        byte[] bytes = replies.toString().getBytes(StandardCharsets.ISO_8859_1);
        replies.setLength(0);
        watched.writing(true);
        try {
            out.write(bytes);
            out.flush();
        } finally {
            watched.writing(false);
        }
    }

    /// Answers "line too long" so that the client sees it, then closes.
    private void refuse(InputStream in, OutputStream out) throws IOException {
        try {
            write(out, new StringBuilder(LINE_TOO_LONG));
            socket.shutdownOutput();
            socket.setSoTimeout(200);
            byte[] sink = new byte[8192];
            long drained = 0;
            while (drained < 1 << 20 && in.read(sink) >= 0) {
                drained += sink.length;
            }
        } catch (IOException gone) {
            // the client left while we said goodbye
        }
    }

    private void closeQuietly() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing to unblock a stalled write
        }
    }
}
