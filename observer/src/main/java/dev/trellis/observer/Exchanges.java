package dev.trellis.observer;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/// Reading requests and writing responses on the JDK's [HttpExchange].
final class Exchanges {
    private Exchanges() {}

    static final String JSON = "application/json; charset=utf-8";

    /// The query parameters of `exchange` (the last value wins).
    static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> params = new LinkedHashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                params.put(
                        URLDecoder.decode(key, StandardCharsets.UTF_8),
                        URLDecoder.decode(value, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw HttpError.badRequest("malformed query parameter: " + pair);
            }
        }
        return params;
    }

    /// The integer parameter `name` in `min..max`, or `fallback` when absent.
    static int intParam(Map<String, String> params, String name, int fallback, int min, int max) {
        String v = params.get(name);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw HttpError.badRequest(name + " must be " + min + ".." + max + ", got " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw HttpError.badRequest(name + " must be an integer, got " + v);
        }
    }

    static void sendJson(HttpExchange exchange, int status, Object body) throws IOException {
        send(exchange, status, JSON, Json.bytes(body));
    }

    static void sendError(HttpExchange exchange, int status, String message) throws IOException {
        sendJson(exchange, status, new ErrorBody(message, status));
    }

    /// The body of every 4xx/5xx answer.
    record ErrorBody(String error, int status) {}

    static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }

    /// The request body as UTF-8 text, at most `limit` bytes.
    static String body(HttpExchange exchange, int limit) throws IOException {
        byte[] bytes = exchange.getRequestBody().readNBytes(limit + 1);
        if (bytes.length > limit) {
            throw new HttpError(413, "request body over " + limit + " bytes");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /// Checks the method; 405 otherwise.
    static void requireMethod(HttpExchange exchange, String... allowed) {
        String method = exchange.getRequestMethod();
        for (String m : allowed) {
            if (m.equals(method)) {
                return;
            }
        }
        exchange.getResponseHeaders().set("Allow", String.join(", ", allowed));
        throw new HttpError(405, method + " is not allowed here (allowed: " + String.join(", ", allowed) + ")");
    }

    static @Nullable String header(HttpExchange exchange, String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }
}
