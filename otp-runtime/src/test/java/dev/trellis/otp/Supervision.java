package dev.trellis.otp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/// Helpers for the supervisor tests. Every wait is bounded and measured on the system clock, so
/// they also work in a test process that runs on a [ManualClock].
final class Supervision {
    private Supervision() {}

    static final Duration WAIT = Duration.ofSeconds(5);

    /// Receives a message `match` accepts within 5 s (real time) or fails.
    static <R> R expect(Match<R> match) {
        return Kernel.receive(match, WAIT, Clock.system())
                .orElseThrow(() -> new AssertionError("no matching message in " + WAIT));
    }

    /// The [ReportingChild.Started] report of child `id`.
    static ReportingChild.Started started(Object id) {
        return expect(m -> m instanceof ReportingChild.Started s && s.id().equals(id) ? s : null);
    }

    /// The [ReportingChild.Stopping] report of the next child that stops.
    static ReportingChild.Stopping stopping() {
        return expect(Match.type(ReportingChild.Stopping.class));
    }

    /// Asserts that no message `match` accepts is queued now.
    static void refuteQueued(Match<?> match) {
        assertThat(Kernel.receive(match, Duration.ZERO, Clock.system())).isEmpty();
    }

    /// Monitors `pid` and waits for it to exit; its exit reason.
    static ExitReason awaitExit(Pid pid) {
        Ref ref = Kernel.monitor(pid);
        return expect(m -> m instanceof Down d && d.ref() == ref ? d.reason() : null);
    }

    /// Waits for a [Down] of monitor `ref`; its exit reason.
    static ExitReason awaitDown(Ref ref) {
        return expect(m -> m instanceof Down d && d.ref() == ref ? d.reason() : null);
    }

    /// Sends `reason` to `pid` and waits for it to exit; its exit reason.
    static ExitReason exitAndWait(Pid pid, ExitReason reason) {
        Ref ref = Kernel.monitor(pid);
        Kernel.exit(pid, reason);
        return awaitDown(ref);
    }

    /// Makes the [ReportingChild] `child` stop itself with `reason` and waits for it to exit.
    static ExitReason stopChild(Pid child, ExitReason reason) {
        Ref ref = Kernel.monitor(child);
        ReportingChild.stopWith(child, reason);
        return awaitDown(ref);
    }

    /// The current pid of child `id` of `sup`.
    static Optional<Pid> pidOf(Pid sup, Object id) {
        return Supervisor.whichChildren(sup).stream()
                .filter(c -> c.id().equals(id))
                .findFirst()
                .flatMap(ChildInfo::pid);
    }

    /// The ids of the children of `sup`, in start order.
    static List<Object> ids(Pid sup) {
        return Supervisor.whichChildren(sup).stream().map(ChildInfo::id).toList();
    }

    /// Waits until `pid` is parked in a receive (it has registered its timeouts).
    static void awaitWaiting(Pid pid) {
        org.awaitility.Awaitility.await()
                .atMost(WAIT)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(2))
                .until(() -> Kernel.processInfo(pid)
                        .map(i -> i.status() == dev.trellis.otp.observe.ProcessStatus.WAITING)
                        .orElse(false));
    }

    /// Waits until `pid` has `n` messages queued.
    static void awaitQueued(Pid pid, int n) {
        org.awaitility.Awaitility.await()
                .atMost(WAIT)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(2))
                .until(() ->
                        Kernel.processInfo(pid).map(i -> i.mailboxLength() == n).orElse(false));
    }

    /// Runs `call` in a new process and sends its result to the caller as a [Result].
    static <T> Pid async(java.util.function.Supplier<T> call) {
        Pid caller = Kernel.self();
        return Kernel.spawn(() -> Kernel.send(caller, new Result(call.get())));
    }

    /// What [#async] sends back.
    record Result(Object value) {}
}
