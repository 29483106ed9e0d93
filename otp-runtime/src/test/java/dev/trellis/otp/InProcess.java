package dev.trellis.otp;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/// Runs test code inside a process (the runtime's own tests cannot use otp-testkit, which
/// depends on this module).
final class InProcess {
    private InProcess() {}

    /// Runs `body` in a fresh process and rethrows what it threw; fails after 30 s.
    static void run(ProcessBody body) {
        run(body, SpawnOptions.defaults().label("test"));
    }

    static void run(ProcessBody body, SpawnOptions options) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Kernel.spawn(
                () -> {
                    try {
                        body.run();
                        done.complete(null);
                    } catch (Throwable t) {
                        done.completeExceptionally(t);
                    }
                },
                options);
        try {
            done.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new AssertionError(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("test process did not finish in 30 s", e);
        }
    }

    static final Duration WAIT = Duration.ofSeconds(5);

    /// Receives a message matching `match` within 5 s or fails.
    static <R> R expect(Match<R> match) {
        return Kernel.receive(match, WAIT).orElseThrow(() -> new AssertionError("no matching message in " + WAIT));
    }
}
