package dev.trellis.otp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.awaitility.Awaitility;

/// Waits and assertions shared by the GenServer and Sys tests. Every wait here runs on the real
/// clock, so a test process may itself run on a [ManualClock] without adding to its
/// [ManualClock#pendingTimers()].
final class ServerTesting {
    private ServerTesting() {}

    /// How long an expected message may take to arrive.
    static final Duration WAIT = Duration.ofSeconds(5);

    /// How long a refute waits for a message that must not arrive.
    static final Duration QUIET = Duration.ofMillis(100);

    /// Test code that may throw.
    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    /// Receives a message matching `match` within 5 s of real time, or fails.
    static <R> R expect(Match<R> match) {
        return Kernel.receive(match, WAIT, Clock.system())
                .orElseThrow(() -> new AssertionError("no matching message in " + WAIT));
    }

    /// Receives a message equal to `message` within 5 s of real time, or fails.
    static Object expect(Object message) {
        return expect(Match.equalTo(message));
    }

    /// Fails if a message matching `match` is queued now or arrives within 100 ms of real time.
    static void refute(Match<?> match) {
        Optional<?> got = Kernel.receive(match, QUIET, Clock.system());
        assertThat(got).as("a message that must not arrive").isEmpty();
    }

    /// Fails if a message matching `match` is queued now (for messages that would have been
    /// sent before something the test already observed).
    static void refuteQueued(Match<?> match) {
        Optional<?> got = Kernel.receive(match, Duration.ZERO, Clock.system());
        assertThat(got).as("a message that must not be queued").isEmpty();
    }

    /// The reason of the [ExitException] `action` throws; fails if it throws nothing or anything
    /// else.
    static ExitReason exitReasonOf(Action action) {
        try {
            action.run();
        } catch (ExitException e) {
            return e.reason();
        } catch (Exception e) {
            throw new AssertionError("expected an ExitException, got " + e, e);
        }
        throw new AssertionError("expected an ExitException, but it returned");
    }

    /// Waits (in real time) for `pid` to exit and returns its reason.
    static ExitReason awaitExit(Pid pid) {
        Ref ref = Kernel.monitor(pid);
        return expect(downOf(ref)).reason();
    }

    static Match<Down> downOf(Ref ref) {
        return m -> m instanceof Down d && d.ref() == ref ? d : null;
    }

    static Match<Exit> exitFrom(Pid pid) {
        return m -> m instanceof Exit e && e.from().equals(pid) ? e : null;
    }

    /// Waits until at least `n` timeouts or timers wait on `clock`: the processes under test have
    /// computed their deadlines, so advancing the clock now expires them.
    static void awaitTimers(ManualClock clock, int n) {
        Awaitility.await("timers pending on the manual clock")
                .atMost(WAIT)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(1))
                .until(() -> clock.pendingTimers() >= n);
    }

    /// Spawns a process (on the caller's clock) that runs `action` and sends the caller what came
    /// of it: [Returned] or [Threw]. For calls that block while the test moves a manual clock.
    static Pid attempt(Action action) {
        Pid test = Kernel.self();
        return Kernel.spawn(() -> {
            try {
                action.run();
                Kernel.send(test, new Returned(Kernel.self()));
            } catch (Throwable t) {
                Kernel.send(test, new Threw(Kernel.self(), t));
            }
        });
    }

    /// [#attempt] finished without an exception.
    record Returned(Pid by) {}

    /// [#attempt] threw `exception`.
    record Threw(Pid by, Throwable exception) {
        ExitReason exitReason() {
            if (exception instanceof ExitException e) {
                return e.reason();
            }
            throw new AssertionError("expected an ExitException, got " + exception, exception);
        }
    }

    static Match<Returned> returnedBy(Pid pid) {
        return m -> m instanceof Returned r && r.by().equals(pid) ? r : null;
    }

    static Match<Threw> threwBy(Pid pid) {
        return m -> m instanceof Threw t && t.by().equals(pid) ? t : null;
    }

    /// Matches anything [#attempt] sent for `pid`.
    static Match<Object> outcomeOf(Pid pid) {
        return m -> (m instanceof Returned r && r.by().equals(pid)) || (m instanceof Threw t && t.by().equals(pid))
                ? m
                : null;
    }
}
