package dev.trellis.observer;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/// The server-sent-events stream (`GET /api/events/stream`): every browser tab gets the frames
/// broadcast while it is connected, each as `event:` + `data:` (one JSON object) + `id:`.
///
/// | event | data | when |
/// |---|---|---|
/// | `runtime` | a runtime event (`type`: `crash`, `restart`, `intensity_exceeded`) | as it happens |
/// | `tree` | the Applications view (`GET /api/applications`) | on connect, and when a supervisor changed |
/// | `load` | the newest Load sample | every tick |
final class EventStream {
    /*
     * Each client has a bounded queue of frames; its handler thread (a virtual thread of the HTTP
     * server) writes them out. broadcast never blocks: a client whose queue is full is slow or
     * gone, and is disconnected (the browser's EventSource reconnects and gets a fresh tree).
     * A keepalive comment every 15 s finds dead connections.
     */
    private static final int CLIENT_QUEUE = 1024;
    private static final String CLOSE = "";

    /// A frame sent to one client only (its first frames).
    record Frame(String event, String data) {}

    private final Set<BlockingQueue<String>> clients = ConcurrentHashMap.newKeySet();
    private final LongAdder disconnectedSlow = new LongAdder();
    private volatile boolean closed;

    /// Queues a frame for every client.
    void broadcast(String event, @Nullable Long id, String data) {
        String frame = (id == null ? "" : "id: " + id + "\n") + "event: " + event + "\ndata: " + data + "\n\n";
        for (BlockingQueue<String> client : clients) {
            if (!client.offer(frame)) {
                clients.remove(client);
                client.clear();
                client.offer(CLOSE);
                disconnectedSlow.increment();
            }
        }
    }

    /// Clients connected now.
    int clients() {
        return clients.size();
    }

    /// Clients disconnected because they did not keep up.
    long slowDisconnects() {
        return disconnectedSlow.sum();
    }

    /// Serves one client until it disconnects or the stream closes; `initial` frames go first.
    void serve(HttpExchange exchange, Supplier<List<Frame>> initial) throws IOException {
        BlockingQueue<String> queue = new ArrayBlockingQueue<>(CLIENT_QUEUE);
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, 0);
        clients.add(queue);
        try (OutputStream out = exchange.getResponseBody()) {
            write(out, "retry: 2000\n\n");
            for (Frame f : initial.get()) {
                write(out, "event: " + f.event() + "\ndata: " + f.data() + "\n\n");
            }
            while (!closed) {
                String frame = queue.poll(15, TimeUnit.SECONDS);
                if (frame == null) {
                    write(out, ": keepalive\n\n");
                } else if (frame.equals(CLOSE)) {
                    break;
                } else {
                    write(out, frame);
                }
            }
        } catch (IOException gone) {
            // The browser went away.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            clients.remove(queue);
            exchange.close();
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /// Ends every client's stream.
    void close() {
        closed = true;
        for (BlockingQueue<String> client : clients) {
            client.clear();
            client.offer(CLOSE);
        }
    }
}
