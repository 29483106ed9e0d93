package dev.trellis.observer;

/// A request the Observer refuses: answered with `status` and `{"error": message, "status": …}`;
/// the server carries on.
final class HttpError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final int status;

    HttpError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    static HttpError badRequest(String message) {
        return new HttpError(400, message);
    }

    static HttpError notFound(String message) {
        return new HttpError(404, message);
    }
}
