package dev.trellis.otp.testkit;

import dev.trellis.otp.Clock;
import dev.trellis.otp.Kernel;
import dev.trellis.otp.Match;
import dev.trellis.otp.Pid;
import dev.trellis.otp.Ref;
import dev.trellis.otp.SpawnOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/// A process that keeps every message sent to it, so that a test can hand its pid to the code
/// under test (as a subscriber, a parent, a reply address) and assert afterwards on what arrived:
/// the Java counterpart of passing `self()` around in ExUnit, without mixing those messages with
/// the test's own.
///
/// ## Examples
///
/// ```java
/// try (Probe probe = Probe.start()) {
///     Kernel.send(probe.pid(), 42); // the code under test sends to probe.pid()
///     Kernel.send(probe.pid(), "hello");
///     assertThat(probe.expect(Match.type(String.class))).isEqualTo("hello");
///     assertThat(probe.messages()).containsExactly(42);
///     probe.refute(Match.any());
/// }
/// ```
///
/// ## Outcomes
///
/// - [#expect(Match)]: the first queued or arriving message `match` accepts within
///   [OtpAssertions#RECEIVE_TIMEOUT] (or the given timeout), taken out of the probe; messages it
///   does not accept stay queued in order. Nothing in time: an [AssertionError] listing what the
///   probe holds.
/// - [#refute(Match)]: passes if no message `match` accepts arrives within
///   [OtpAssertions#REFUTE_TIMEOUT] (or the given timeout); otherwise an [AssertionError] naming it.
/// - [#messages()]: takes every message the probe holds, oldest first.
/// - [#close()]: stops the probe and returns once it is gone. A probe left running is a leaked
///   process for [OtpTest]; use try-with-resources.
///
/// Every method works from a test process and from a plain thread. Timeouts are in real time.
public final class Probe implements AutoCloseable {
    /*
     * The probe's loop takes only its private control records (selective receive), so every other
     * message stays queued until a control asks for it. Replies travel through futures, so the
     * caller's mailbox is never touched and a plain thread can drive a probe. One control is
     * served at a time: a probe is driven by one test.
     */
    private static final Duration CONTROL_TIMEOUT = Duration.ofSeconds(30);

    private sealed interface Control {}

    private record Take(Match<?> match, Duration timeout, CompletableFuture<Optional<Object>> reply)
            implements Control {}

    private record TakeAll(CompletableFuture<List<Object>> reply) implements Control {}

    private record Stop() implements Control {}

    private final Pid pid;

    private Probe(Pid pid) {
        this.pid = pid;
    }

    /// Starts a probe.
    public static Probe start() {
        return new Probe(Kernel.spawn(Probe::loop, SpawnOptions.defaults().label("probe"))
                .pid());
    }

    /// The probe's pid: where the code under test sends.
    public Pid pid() {
        return pid;
    }

    /// Takes the first message `match` accepts within [OtpAssertions#RECEIVE_TIMEOUT], or fails.
    public <R> R expect(Match<R> match) {
        return expect(match, OtpAssertions.RECEIVE_TIMEOUT);
    }

    /// Takes the first message `match` accepts within `timeout`, or fails listing the probe's
    /// messages.
    public <R> R expect(Match<R> match, Duration timeout) {
        Optional<Object> got = take(match, timeout);
        if (got.isEmpty()) {
            throw new AssertionError(
                    "probe " + pid + " got no matching message within " + timeout + "; it holds: " + messages());
        }
        @SuppressWarnings("unchecked") // the probe returned what `match` returned
        R r = (R) got.get();
        return r;
    }

    /// Fails if a message `match` accepts arrives within [OtpAssertions#REFUTE_TIMEOUT].
    public void refute(Match<?> match) {
        refute(match, OtpAssertions.REFUTE_TIMEOUT);
    }

    /// Fails if a message `match` accepts arrives within `timeout`.
    public void refute(Match<?> match, Duration timeout) {
        take(match, timeout).ifPresent(m -> {
            throw new AssertionError("probe " + pid + " got unexpected message " + m);
        });
    }

    /// Takes every message the probe holds now, oldest first.
    public List<Object> messages() {
        CompletableFuture<List<Object>> reply = new CompletableFuture<>();
        Kernel.send(pid, new TakeAll(reply));
        return await(reply, CONTROL_TIMEOUT);
    }

    /// Stops the probe; returns once it has exited. Does nothing if it already has.
    @Override
    public void close() {
        if (!Kernel.isAlive(pid)) {
            return;
        }
        if (Kernel.inProcess()) {
            Ref ref = Kernel.monitor(pid);
            Kernel.send(pid, new Stop());
            Kernel.receive(m -> m instanceof dev.trellis.otp.Down d && d.ref() == ref ? d : null);
            return;
        }
        Kernel.send(pid, new Stop());
        long deadline = System.nanoTime() + CONTROL_TIMEOUT.toNanos();
        while (Kernel.isAlive(pid)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("probe " + pid + " did not stop");
            }
            Thread.onSpinWait();
        }
    }

    private Optional<Object> take(Match<?> match, Duration timeout) {
        CompletableFuture<Optional<Object>> reply = new CompletableFuture<>();
        Kernel.send(pid, new Take(match, timeout, reply));
        return await(reply, timeout.plus(CONTROL_TIMEOUT));
    }

    private <T> T await(CompletableFuture<T> reply, Duration timeout) {
        try {
            return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for probe " + pid, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("probe " + pid + " did not answer (is it stopped?)", e);
        }
    }

    private static void loop() {
        for (; ; ) {
            Control c = Kernel.receive(m -> m instanceof Control ctl ? ctl : null);
            switch (c) {
                case Take t -> {
                    Match<?> notControl =
                            m -> m instanceof Control ? null : t.match().match(m);
                    t.reply()
                            .complete(Kernel.receive(notControl, t.timeout(), Clock.system())
                                    .map(Object.class::cast));
                }
                case TakeAll a -> {
                    List<Object> all = new ArrayList<>();
                    Match<Object> notControl = m -> m instanceof Control ? null : m;
                    for (Optional<Object> m = Kernel.receive(notControl, Duration.ZERO);
                            m.isPresent();
                            m = Kernel.receive(notControl, Duration.ZERO)) {
                        all.add(m.get());
                    }
                    a.reply().complete(all);
                }
                case Stop s -> {
                    return;
                }
            }
        }
    }
}
