package dev.trellis.observer;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/// The UI: plain HTML, JavaScript and CSS from the jar's resources (no build step), loaded
/// once. Only these files exist; every other path is a 404.
final class StaticFiles {
    private static final String ROOT = "/dev/trellis/observer/ui/";
    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "style.css", "text/css; charset=utf-8",
            "favicon.svg", "image/svg+xml");

    private final Map<String, byte[]> files;

    StaticFiles() {
        this.files = Map.copyOf(
                TYPES.keySet().stream().collect(java.util.stream.Collectors.toMap(name -> name, StaticFiles::load)));
    }

    private static byte[] load(String name) {
        try (InputStream in = StaticFiles.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("missing UI resource " + ROOT + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void serve(HttpExchange exchange) throws IOException {
        Exchanges.requireMethod(exchange, "GET", "HEAD");
        String path = exchange.getRequestURI().getPath();
        String name = path.equals("/") ? "index.html" : path.substring(1);
        byte[] body = files.get(name);
        if (body == null) {
            throw HttpError.notFound("no such page: " + path);
        }
        Exchanges.send(exchange, 200, java.util.Objects.requireNonNull(TYPES.get(name)), body);
    }
}
