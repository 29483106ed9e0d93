package dev.trellis.otp.testkit;

import dev.trellis.otp.Clock;
import dev.trellis.otp.Kernel;
import dev.trellis.otp.Match;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/// Message assertions for tests running in a process, after ExUnit's `assert_receive`,
/// `assert_received` and `refute_receive`.
///
/// Timeouts are measured in real time, even when the test runs on a [dev.trellis.otp.ManualClock].
/// A failed assertion lists the messages that were in the mailbox (and removes them: the test has
/// failed anyway).
///
/// | function | default timeout |
/// |---|---|
/// | [#assertReceive(Match)] | [#RECEIVE_TIMEOUT] (1 s; `-Dtrellis.testkit.receiveTimeoutMs`) |
/// | [#assertReceived(Match)] | none: the message must already be queued |
/// | [#refuteReceive(Match)] | [#REFUTE_TIMEOUT] (100 ms, as ExUnit) |
///
/// ## Examples
///
/// ```java
/// Kernel.send(Kernel.self(), new Greeting("hi"));
/// Greeting g = assertReceive(Match.type(Greeting.class));
/// refuteReceive(Match.any());
/// ```
public final class OtpAssertions {
    /// How long [#assertReceive(Match)] waits by default.
    public static final Duration RECEIVE_TIMEOUT =
            Duration.ofMillis(Long.getLong("trellis.testkit.receiveTimeoutMs", 1000));

    /// How long [#refuteReceive(Match)] waits by default.
    public static final Duration REFUTE_TIMEOUT = Duration.ofMillis(100);

    private OtpAssertions() {}

    /// Receives the first message `match` accepts within [#RECEIVE_TIMEOUT], or fails.
    public static <R> R assertReceive(Match<R> match) {
        return assertReceive(match, RECEIVE_TIMEOUT);
    }

    /// Receives the first message `match` accepts within `timeout`, or fails listing the mailbox.
    public static <R> R assertReceive(Match<R> match, Duration timeout) {
        Optional<R> r = Kernel.receive(match, timeout, Clock.system());
        if (r.isEmpty()) {
            throw new AssertionError("no matching message within " + timeout + "; mailbox: " + drain());
        }
        return r.get();
    }

    /// Receives the first already-queued message `match` accepts, or fails (ExUnit's
    /// `assert_received`).
    public static <R> R assertReceived(Match<R> match) {
        Optional<R> r = Kernel.receive(match, Duration.ZERO, Clock.system());
        if (r.isEmpty()) {
            throw new AssertionError("no matching message in the mailbox: " + drain());
        }
        return r.get();
    }

    /// Fails if a message `match` accepts arrives within [#REFUTE_TIMEOUT].
    public static void refuteReceive(Match<?> match) {
        refuteReceive(match, REFUTE_TIMEOUT);
    }

    /// Fails if a message `match` accepts arrives within `timeout`.
    public static void refuteReceive(Match<?> match, Duration timeout) {
        Kernel.receive(match, timeout, Clock.system()).ifPresent(m -> {
            throw new AssertionError("unexpected message " + m);
        });
    }

    private static List<Object> drain() {
        List<Object> all = new ArrayList<>();
        for (Optional<Object> m = Kernel.receive(Duration.ZERO); m.isPresent(); m = Kernel.receive(Duration.ZERO)) {
            all.add(m.get());
        }
        return all;
    }
}
