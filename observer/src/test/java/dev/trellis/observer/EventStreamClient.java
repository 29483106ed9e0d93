package dev.trellis.observer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/// A minimal server-sent-events reader for tests: parses `event:`, `data:` and `id:` lines into
/// frames on a background thread.
final class EventStreamClient implements AutoCloseable {
    record Frame(String event, String data, @Nullable String id) {}

    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final BufferedReader reader;
    private final Thread thread;

    EventStreamClient(URI uri) throws IOException, InterruptedException {
        HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200
                || !response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
            throw new AssertionError("not an event stream: " + response);
        }
        reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        thread = Thread.ofPlatform().daemon().start(this::read);
    }

    private void read() {
        String event = "message";
        StringBuilder data = new StringBuilder();
        String id = null;
        try {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        frames.add(new Frame(event, data.toString(), id));
                    }
                    event = "message";
                    data.setLength(0);
                    id = null;
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                }
            }
        } catch (IOException closed) {
            // the test closed the stream
        }
    }

    /// The next frame `match` accepts, within 10 s; others are skipped.
    Frame next(Predicate<Frame> match) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (; ; ) {
            Frame f = frames.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (f == null) {
                throw new AssertionError("no matching event-stream frame in 10 s");
            }
            if (match.test(f)) {
                return f;
            }
        }
    }

    @Override
    public void close() throws IOException {
        reader.close();
        thread.interrupt();
    }
}
