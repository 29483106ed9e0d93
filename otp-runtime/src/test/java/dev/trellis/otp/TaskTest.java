package dev.trellis.otp;

import static dev.trellis.otp.InProcess.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/// Elixir's task_test: async/await, exits and crashes, timeouts, yield, shutdown, async_nolink,
/// start, async_stream (order, bounded concurrency, early stop, timeout, crash).
@ExtendWith(SupervisionLeakCheck.class)
class TaskTest {

    static final Duration WAIT = Duration.ofSeconds(5);

    /// What a process started by [#inCaller] reports: the value its body returned or what it
    /// threw.
    record Outcome(@Nullable Object value, @Nullable Throwable error) {}

    /// A message a task sends to say it started.
    record Started(Pid pid) {}

    /// A message a task sends to report how it is doing.
    record Ready(int input, Pid pid) {}

    /// Runs `body` in a new process (monitored, not linked; on the caller's clock) and sends its
    /// [Outcome] to the caller.
    static Spawned inCaller(Callable<?> body) {
        Pid test = Kernel.self();
        return Kernel.spawn(
                () -> {
                    Outcome outcome;
                    try {
                        outcome = new Outcome(body.call(), null);
                    } catch (Throwable t) {
                        outcome = new Outcome(null, t);
                    }
                    Kernel.send(test, outcome);
                },
                SpawnOptions.defaults().monitor());
    }

    /// The next [Outcome], waiting in real time.
    static Outcome outcome() {
        return Kernel.receive(Match.type(Outcome.class), WAIT, Clock.system())
                .orElseThrow(() -> new AssertionError("no outcome in " + WAIT));
    }

    /// A message received within 5 s of real time.
    static <R> R expectReal(Match<R> match) {
        return Kernel.receive(match, WAIT, Clock.system())
                .orElseThrow(() -> new AssertionError("no matching message in " + WAIT));
    }

    /// Waits until `clock` has `n` timeouts pending.
    static void awaitTimers(ManualClock clock, int n) {
        Awaitility.await()
                .atMost(WAIT)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(2))
                .until(() -> clock.pendingTimers() == n);
    }

    static void assertMailboxEmpty() {
        assertThat(Kernel.receive(Match.any(), Duration.ZERO)).isEmpty();
    }

    static ExitReason reasonOf(Throwable t) {
        assertThat(t).isInstanceOf(ExitException.class);
        return ((ExitException) t).reason();
    }

    // ---- async / await ------------------------------------------------------------------

    @Test
    void theJavadocExampleWorks() {
        InProcess.run(() -> {
            Task<Integer> task = Task.async(() -> 6 * 7);
            int answer = Task.await(task);
            assertThat(answer).isEqualTo(42);
            assertThat(Task.start(() -> Kernel.send(task.owner(), "mail sent"))).isInstanceOf(StartResult.Ok.class);
            expect(Match.equalTo("mail sent"));
        });
    }

    @Test
    void theGiveUpExampleKeepsAResultThatArrivesAndStopsATaskThatDoesNot() {
        ManualClock clock = new ManualClock();
        InProcess.run(
                () -> {
                    inCaller(() -> {
                        Task<String> slow = Task.asyncNolink(() -> {
                            Kernel.receive(Match.none());
                            return "never";
                        });
                        Optional<TaskResult<String>> result = Task.yield(slow, Duration.ofMillis(100));
                        assertThat(result).isEmpty();
                        result = Task.shutdown(slow);
                        assertThat(Kernel.isAlive(slow.pid())).isFalse();
                        return result;
                    });
                    awaitTimers(clock, 1);
                    clock.advance(Duration.ofMillis(100));
                    Outcome o = outcome();
                    assertThat(o.error()).isNull();
                    assertThat(o.value()).isEqualTo(Optional.empty());
                },
                SpawnOptions.defaults().clock(clock));
    }

    @Test
    void asyncLinksAndMonitorsTheTaskAndAwaitReturnsItsValue() {
        InProcess.run(() -> {
            Pid test = Kernel.self();
            Task<String> task = Task.async(() -> {
                Kernel.send(test, new Started(Kernel.self()));
                Kernel.receive(Match.equalTo("go"));
                return "done";
            });
            assertThat(expect(Match.type(Started.class)).pid()).isEqualTo(task.pid());
            assertThat(task.owner()).isEqualTo(test);
            assertThat(Kernel.processInfo(test).orElseThrow().links()).contains(task.pid());
            assertThat(Kernel.processInfo(task.pid()).orElseThrow().monitoredBy())
                    .contains(test);
            Kernel.send(task.pid(), "go");
            assertThat(Task.await(task)).isEqualTo("done");
            Signals.awaitExit(task.pid());
            assertMailboxEmpty(); // no Down: await demonitored with flush
        });
    }

    @Test
    void awaitFindsTheReplyBehindUnrelatedMessagesAndLeavesThemQueued() {
        InProcess.run(() -> {
            Pid self = Kernel.self();
            for (int i = 0; i < 1_000; i++) {
                Kernel.send(self, i);
            }
            Task<String> task = Task.async(() -> "reply");
            assertThat(Task.await(task)).isEqualTo("reply");
            for (int i = 0; i < 1_000; i++) {
                assertThat(Kernel.receive(Duration.ZERO)).contains(i);
            }
            assertMailboxEmpty();
        });
    }

    @Test
    void awaitInATrappingCallerThrowsTheTasksCrashWithTheOriginalException() {
        InProcess.run(() -> {
            Kernel.trapExit(true);
            IllegalStateException boom = new IllegalStateException("oops");
            Task<Integer> task = Task.async(() -> {
                throw boom;
            });
            assertThatThrownBy(() -> Task.await(task)).isInstanceOfSatisfying(ExitException.class, e -> {
                assertThat(e.reason()).isEqualTo(ExitReason.crash(boom));
                assertThat(e.getCause()).isSameAs(boom);
            });
            // As in Elixir, the trapped exit signal of the link stays queued.
            assertThat(expect(Signals.exitFrom(task.pid())).reason()).isEqualTo(ExitReason.crash(boom));
            Kernel.trapExit(false);
        });
    }

    @Test
    void aCrashingLinkedTaskMakesAwaitThrowItsCrashAndTheCallerExitsWithIt() {
        InProcess.run(() -> {
            IllegalStateException boom = new IllegalStateException("oops");
            Ref ref = inCaller(() -> Task.await(Task.async(() -> {
                        throw boom;
                    })))
                    .ref();
            Outcome o = outcome();
            // The link's exit signal or the task's Down may reach the caller first: either way it
            // exits with the task's reason (the crash, carrying `boom`).
            assertThat(reasonOf(Objects.requireNonNull(o.error()))).isEqualTo(ExitReason.crash(boom));
            assertThat(expect(Signals.downOf(ref)).reason()).isEqualTo(ExitReason.crash(boom));
        });
    }

    @Test
    void awaitThrowsTheReasonOfATaskThatExitsWithoutAValue() {
        InProcess.run(() -> {
            Task<Integer> normal = Task.async(() -> {
                Kernel.exit(ExitReason.NORMAL);
                return 1;
            });
            assertThatThrownBy(() -> Task.await(normal))
                    .isInstanceOfSatisfying(
                            ExitException.class, e -> assertThat(e.reason()).isEqualTo(ExitReason.NORMAL));
            Task<Integer> unknown = Task.asyncNolink(() -> {
                Kernel.exit(ExitReason.other("unknown"));
                return 1;
            });
            assertThatThrownBy(() -> Task.await(unknown))
                    .isInstanceOfSatisfying(
                            ExitException.class, e -> assertThat(e.reason()).isEqualTo(ExitReason.other("unknown")));
            assertMailboxEmpty();
        });
    }

    @Test
    void aTaskReturningNullCrashesWithNullPointerException() {
        InProcess.run(() -> {
            Task<Object> task = Task.asyncNolink(() -> null);
            assertThatThrownBy(() -> Task.await(task))
                    .isInstanceOfSatisfying(
                            ExitException.class,
                            e -> assertThat(e.reason())
                                    .isInstanceOfSatisfying(
                                            ExitReason.Crash.class,
                                            c -> assertThat(c.exception()).isInstanceOf(NullPointerException.class)));
        });
    }

    @Test
    void awaitTimesOutOnTheCallersClockAndKillsTheTaskLeavingNothingBehind() {
        ManualClock clock = new ManualClock();
        InProcess.run(
                () -> {
                    Pid test = Kernel.self();
                    inCaller(() -> {
                        Task<String> task = Task.async(() -> {
                            Kernel.receive(Match.none());
                            return "never";
                        });
                        Kernel.send(test, new Started(task.pid()));
                        try {
                            Task.await(task, Duration.ofSeconds(2));
                            return "answered";
                        } catch (ExitException e) {
                            Pid self = Kernel.self();
                            List<Pid> links =
                                    Kernel.processInfo(self).orElseThrow().links();
                            Optional<Object> queued = Kernel.receive(Duration.ZERO);
                            return List.of(e.reason(), links, queued);
                        }
                    });
                    Pid taskPid = expectReal(Match.type(Started.class)).pid();
                    Ref ref = Kernel.monitor(taskPid);
                    awaitTimers(clock, 1);
                    clock.advance(Duration.ofSeconds(2));
                    assertThat(outcome().value()).isEqualTo(List.of(GenServer.TIMEOUT, List.of(), Optional.empty()));
                    assertThat(expectReal(Signals.downOf(ref)).reason()).isIn(ExitReason.KILLED, ExitReason.NOPROC);
                },
                SpawnOptions.defaults().clock(clock));
    }

    @Test
    void awaitWithAZeroTimeoutOnlyLooksAtWhatIsQueued() {
        InProcess.run(() -> {
            Task<String> task = Task.asyncNolink(() -> {
                Kernel.receive(Match.none());
                return "never";
            });
            assertThatThrownBy(() -> Task.await(task, Duration.ZERO))
                    .isInstanceOfSatisfying(
                            ExitException.class, e -> assertThat(e.reason()).isEqualTo(GenServer.TIMEOUT));
            Signals.awaitExit(task.pid());
            assertMailboxEmpty();
        });
    }

    @Test
    void aReplyAfterTheOwnerGaveUpIsNeverDeliveredAndAReplyOnItsWayCannotBeAbandoned() {
        InProcess.run(() -> {
            Task.Slot abandoned = new Task.Slot(Kernel.current());
            assertThat(abandoned.abandon()).isTrue();
            assertThat(abandoned.reply("late")).isFalse();
            assertMailboxEmpty();
            Task.Slot replied = new Task.Slot(Kernel.current());
            assertThat(replied.reply("on time")).isTrue();
            assertThat(replied.abandon()).isFalse();
            assertThat(expect(Match.type(Task.Reply.class)).value()).isEqualTo("on time");
        });
    }

    @Test
    void onlyTheOwnerMayTakeTheResultAndOnlyOnce() {
        InProcess.run(() -> {
            Task<Integer> task = Task.async(() -> 1);
            Pid test = Kernel.self();
            Pid other = Kernel.spawn(() -> {
                try {
                    Task.await(task);
                    Kernel.send(test, "awaited");
                } catch (IllegalStateException e) {
                    Kernel.send(test, String.valueOf(e.getMessage()));
                }
            });
            assertThat(expect(Match.type(String.class))).contains("must be called by its owner " + test);
            Signals.awaitExit(other);
            assertThat(Task.await(task)).isEqualTo(1);
            assertThatThrownBy(() -> Task.await(task))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already taken");
            assertThatThrownBy(() -> Task.yield(task, Duration.ZERO)).isInstanceOf(IllegalStateException.class);
            assertThat(Task.shutdown(task)).isEmpty();
        });
    }

    @Test
    void asyncOutsideAProcessThrows() {
        assertThatThrownBy(() -> Task.async(() -> 1)).isInstanceOf(IllegalStateException.class);
    }

    // ---- yield --------------------------------------------------------------------------

    @Test
    void yieldIsEmptyWhileTheTaskRunsAndGivesItsResultOnceItEnds() {
        InProcess.run(() -> {
            Task<String> task = Task.async(() -> {
                Kernel.receive(Match.equalTo("go"));
                return "done";
            });
            assertThat(Task.yield(task, Duration.ZERO)).isEmpty();
            assertThat(Kernel.isAlive(task.pid())).isTrue();
            Kernel.send(task.pid(), "go");
            assertThat(Task.yield(task, WAIT)).contains(new TaskResult.Ok<>("done"));
            Signals.awaitExit(task.pid());
            assertMailboxEmpty();
        });
    }

    @Test
    void yieldTimesOutOnTheCallersClock() {
        ManualClock clock = new ManualClock();
        InProcess.run(
                () -> {
                    inCaller(() -> {
                        Task<String> task = Task.asyncNolink(() -> {
                            Kernel.receive(Match.none());
                            return "never";
                        });
                        Optional<TaskResult<String>> first = Task.yield(task, Duration.ofSeconds(1));
                        boolean alive = Kernel.isAlive(task.pid());
                        Task.shutdown(task);
                        return List.of(first, alive);
                    });
                    awaitTimers(clock, 1);
                    clock.advance(Duration.ofSeconds(1));
                    assertThat(outcome().value()).isEqualTo(List.of(Optional.empty(), true));
                },
                SpawnOptions.defaults().clock(clock));
    }

    @Test
    void yieldGivesTheCrashOfANolinkTaskAsAValue() {
        InProcess.run(() -> {
            RuntimeException boom = new RuntimeException("oops");
            Task<Integer> task = Task.asyncNolink(() -> {
                throw boom;
            });
            assertThat(Task.yield(task, WAIT)).contains(new TaskResult.Exited<>(ExitReason.crash(boom)));
            assertMailboxEmpty();
        });
    }

    @Test
    void taskResultOrThrowGivesTheValueOrThrowsTheExit() {
        assertThat(new TaskResult.Ok<>(42).orThrow()).isEqualTo(42);
        RuntimeException boom = new RuntimeException("oops");
        assertThatThrownBy(() -> new TaskResult.Exited<Integer>(ExitReason.crash(boom)).orThrow())
                .isInstanceOfSatisfying(
                        ExitException.class, e -> assertThat(e.getCause()).isSameAs(boom));
    }

    // ---- asyncNolink --------------------------------------------------------------------

    @Test
    void aCrashingNolinkTaskLeavesTheCallerAliveAndAwaitThrowsTheCrash() {
        InProcess.run(() -> {
            IllegalArgumentException boom = new IllegalArgumentException("oops");
            Task<Integer> task = Task.asyncNolink(() -> {
                throw boom;
            });
            assertThat(Kernel.processInfo(Kernel.self()).orElseThrow().links()).doesNotContain(task.pid());
            assertThatThrownBy(() -> Task.await(task)).isInstanceOfSatisfying(ExitException.class, e -> {
                assertThat(e.reason()).isEqualTo(ExitReason.crash(boom));
                assertThat(e.getCause()).isSameAs(boom);
            });
            assertMailboxEmpty();
            // Still alive and able to receive: no exit signal is pending.
            Kernel.send(Kernel.self(), "still here");
            assertThat(expect(Match.type(String.class))).isEqualTo("still here");
        });
    }

    // ---- shutdown -----------------------------------------------------------------------

    @Test
    void shutdownStopsARunningTaskAndReturnsEmpty() {
        InProcess.run(() -> {
            Task<String> task = Task.async(() -> {
                Kernel.receive(Match.none());
                return "never";
            });
            assertThat(Task.shutdown(task)).isEmpty();
            assertThat(Kernel.isAlive(task.pid())).isFalse();
            assertThat(Kernel.processInfo(Kernel.self()).orElseThrow().links()).doesNotContain(task.pid());
            assertMailboxEmpty();
        });
    }

    @Test
    void shutdownReturnsTheValueOfATaskThatAlreadyFinished() {
        InProcess.run(() -> {
            Task<Integer> task = Task.async(() -> 1);
            Awaitility.await().atMost(WAIT).until(() -> !Kernel.isAlive(task.pid()));
            assertThat(Task.shutdown(task)).contains(new TaskResult.Ok<>(1));
            assertMailboxEmpty();
        });
    }

    @Test
    void shutdownReturnsExitedForATaskThatCrashedFirst() {
        InProcess.run(() -> {
            RuntimeException boom = new RuntimeException("oops");
            Task<Integer> task = Task.asyncNolink(() -> {
                throw boom;
            });
            Awaitility.await().atMost(WAIT).until(() -> !Kernel.isAlive(task.pid()));
            assertThat(Task.shutdown(task)).contains(new TaskResult.Exited<>(ExitReason.crash(boom)));
            assertMailboxEmpty();
        });
    }

    @Test
    void shutdownKillsATaskThatDoesNotStopWithinTheTimeout() {
        ManualClock clock = new ManualClock();
        InProcess.run(
                () -> {
                    Pid test = Kernel.self();
                    inCaller(() -> {
                        Pid owner = Kernel.self();
                        Task<String> task = Task.asyncNolink(() -> {
                            Kernel.trapExit(true);
                            Kernel.send(owner, "trapping");
                            Kernel.receive(Match.none()); // ignores the shutdown signal
                            return "never";
                        });
                        Kernel.receive(Match.equalTo("trapping"));
                        Kernel.send(test, new Started(task.pid()));
                        return Task.shutdown(task, Duration.ofSeconds(3));
                    });
                    Pid taskPid = expectReal(Match.type(Started.class)).pid();
                    awaitTimers(clock, 1);
                    assertThat(Kernel.isAlive(taskPid)).isTrue();
                    clock.advance(Duration.ofSeconds(3));
                    assertThat(outcome().value()).isEqualTo(Optional.empty());
                    assertThat(Kernel.isAlive(taskPid)).isFalse();
                },
                SpawnOptions.defaults().clock(clock));
    }

    // ---- start --------------------------------------------------------------------------

    @Test
    void startRunsABodyNobodyWaitsForAndStartLinkLinksIt() {
        InProcess.run(() -> {
            Pid test = Kernel.self();
            Pid loose = Task.start(() -> {
                        Kernel.send(test, "ran");
                        Kernel.receive(Match.equalTo("stop"));
                    })
                    .orThrow();
            expect(Match.equalTo("ran"));
            assertThat(Kernel.processInfo(test).orElseThrow().links()).doesNotContain(loose);
            Pid linked =
                    Task.startLink(() -> Kernel.receive(Match.equalTo("stop"))).orThrow();
            assertThat(Kernel.processInfo(test).orElseThrow().links()).contains(linked);
            assertThat(Kernel.processInfo(linked).orElseThrow().label()).isEqualTo("Task");
            for (Pid p : List.of(loose, linked)) {
                Ref ref = Kernel.monitor(p);
                Kernel.send(p, "stop");
                assertThat(expect(Signals.downOf(ref)).reason()).isEqualTo(ExitReason.NORMAL);
            }
        });
    }

    @Test
    void childSpecRunsTheBodyAsATemporaryWorker() {
        InProcess.run(() -> {
            Pid test = Kernel.self();
            ChildSpec spec = Task.childSpec("job", () -> Kernel.send(test, "job done"));
            assertThat(spec.restart()).isEqualTo(ChildSpec.Restart.TEMPORARY);
            assertThat(spec.type()).isEqualTo(ChildSpec.Type.WORKER);
            Pid sup = Supervisor.startLink(List.of(spec), SupervisorFlags.oneForOne())
                    .orThrow();
            expect(Match.equalTo("job done"));
            Supervisor.stop(sup);
        });
    }

    // ---- asyncStream --------------------------------------------------------------------

    @Test
    void theStreamExampleStopsEarlyAndClosingStopsTheRest() {
        InProcess.run(() -> {
            List<String> urls = List.of("a", "bb", "ccc", "dddd", "eeeee", "ffffff");
            try (Stream<Integer> lengths = Task.asyncStream(urls, url -> url.length(), 4)) {
                List<Integer> firstThree = lengths.limit(3).toList();
                assertThat(firstThree).containsExactly(1, 2, 3);
            }
            assertMailboxEmpty();
        });
    }

    @Test
    void asyncStreamGivesResultsInInputOrderWhateverOrderTheTasksFinishIn() {
        InProcess.run(() -> {
            int n = 6;
            // Releases the tasks one by one in reverse input order, each after the previous exited.
            Pid releaser = Kernel.spawn(() -> {
                List<Ready> ready = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    ready.add(Kernel.receive(Match.type(Ready.class)));
                }
                ready.sort((a, b) -> Integer.compare(b.input(), a.input()));
                for (Ready r : ready) {
                    Ref ref = Kernel.monitor(r.pid());
                    Kernel.send(r.pid(), "go");
                    Kernel.receive(Signals.downOf(ref));
                }
            });
            List<Integer> inputs = IntStream.range(0, n).boxed().toList();
            try (Stream<Integer> results = Task.asyncStream(
                    inputs,
                    i -> {
                        Kernel.send(releaser, new Ready(i, Kernel.self()));
                        Kernel.receive(Match.equalTo("go"));
                        return i * 10;
                    },
                    n)) {
                assertThat(results.toList()).containsExactly(0, 10, 20, 30, 40, 50);
            }
            Signals.awaitExit(releaser);
            assertMailboxEmpty();
        });
    }

    @Test
    void asyncStreamRunsAtMostMaxConcurrencyTasksAtOnce() {
        InProcess.run(() -> {
            int total = 20;
            int max = 3;
            AtomicInteger running = new AtomicInteger();
            AtomicInteger maxSeen = new AtomicInteger();
            // Holds the tasks until as many run as the bound allows, then releases the oldest.
            Pid gate = Kernel.spawn(() -> {
                Deque<Pid> held = new ArrayDeque<>();
                int released = 0;
                while (released < total) {
                    int expected = Math.min(max, total - released);
                    while (held.size() < expected) {
                        Optional<Ready> r = Kernel.receive(Match.type(Ready.class), WAIT);
                        if (r.isEmpty()) {
                            break; // fewer tasks than the bound allows: release anyway, the test fails
                        }
                        held.add(r.get().pid());
                    }
                    Pid next = held.poll();
                    if (next == null) {
                        return;
                    }
                    Kernel.send(next, "go");
                    released++;
                }
            });
            List<Integer> inputs = IntStream.range(0, total).boxed().toList();
            try (Stream<Integer> results = Task.asyncStream(
                    inputs,
                    i -> {
                        int now = running.incrementAndGet();
                        maxSeen.accumulateAndGet(now, Math::max);
                        Kernel.send(gate, new Ready(i, Kernel.self()));
                        Kernel.receive(Match.equalTo("go"));
                        running.decrementAndGet();
                        return i;
                    },
                    max)) {
                assertThat(results.toList()).isEqualTo(inputs);
            }
            assertThat(maxSeen.get()).isEqualTo(max);
            Signals.awaitExit(gate);
            assertMailboxEmpty();
        });
    }

    @Test
    void asyncStreamStartsNothingUntilItIsConsumed() {
        InProcess.run(() -> {
            AtomicInteger calls = new AtomicInteger();
            Set<Pid> before = new HashSet<>(Kernel.processes());
            try (Stream<Integer> results = Task.asyncStream(
                    List.of(1, 2, 3),
                    i -> {
                        calls.incrementAndGet();
                        return i * i;
                    },
                    2)) {
                assertThat(calls.get()).isZero();
                assertThat(Kernel.processes()).containsExactlyInAnyOrderElementsOf(before);
                assertThat(results.toList()).containsExactly(1, 4, 9);
            }
            assertThat(calls.get()).isEqualTo(3);
        });
    }

    @Test
    void closingAStreamEarlyKillsItsRunningTasksAndLeavesNoProcessOrMessage() {
        InProcess.run(() -> {
            long baseline = Kernel.statistics().processes();
            Set<Pid> before = new HashSet<>(Kernel.processes());
            List<Integer> inputs = IntStream.range(0, 10).boxed().toList();
            List<Integer> first;
            try (Stream<Integer> results = Task.asyncStream(
                    inputs,
                    i -> {
                        if (i >= 3) {
                            Kernel.receive(Match.none()); // runs until killed
                        }
                        return i;
                    },
                    4)) {
                first = results.limit(3).toList();
                assertThat(Kernel.statistics().processes()).isGreaterThan(baseline);
            }
            assertThat(first).containsExactly(0, 1, 2);
            assertThat(Kernel.statistics().processes()).isLessThanOrEqualTo(baseline);
            assertThat(Kernel.processes()).containsExactlyInAnyOrderElementsOf(before);
            assertThat(Kernel.processInfo(Kernel.self()).orElseThrow().mailboxLength())
                    .isZero();
            assertThat(Kernel.processInfo(Kernel.self()).orElseThrow().links()).isEmpty();
        });
    }

    @Test
    void closingAStreamEarlyLeavesNoExitMessagesInATrappingCaller() {
        InProcess.run(() -> {
            Kernel.trapExit(true);
            Set<Pid> before = new HashSet<>(Kernel.processes());
            try (Stream<Integer> results = Task.asyncStream(
                    IntStream.range(0, 10).boxed().toList(),
                    i -> {
                        if (i >= 5) {
                            Kernel.receive(Match.none());
                        }
                        return i;
                    },
                    6)) {
                assertThat(results.limit(5).toList()).containsExactly(0, 1, 2, 3, 4);
            }
            assertThat(Kernel.processes()).containsExactlyInAnyOrderElementsOf(before);
            assertMailboxEmpty();
            Kernel.trapExit(false);
        });
    }

    @Test
    void aStreamTaskRunningLongerThanTheTimeoutMakesTheStreamThrowTimeoutAndStopsTheOthers() {
        ManualClock clock = new ManualClock();
        InProcess.run(
                () -> {
                    Set<Pid> before = new HashSet<>(Kernel.processes());
                    Spawned caller = inCaller(() -> {
                        List<Integer> seen = new ArrayList<>();
                        try (Stream<Integer> results = Task.asyncStream(
                                List.of(0, 1, 2, 3),
                                i -> {
                                    if (i >= 1) {
                                        Kernel.receive(Match.none());
                                    }
                                    return i;
                                },
                                2,
                                Duration.ofSeconds(1))) {
                            results.forEach(seen::add);
                            return "finished";
                        } catch (ExitException e) {
                            return List.of(
                                    e.reason(),
                                    Kernel.processInfo(Kernel.self())
                                            .orElseThrow()
                                            .mailboxLength());
                        }
                    });
                    before.add(caller.pid());
                    awaitTimers(clock, 1);
                    clock.advance(Duration.ofSeconds(1));
                    assertThat(outcome().value()).isEqualTo(List.of(GenServer.TIMEOUT, 0));
                    expectReal(Signals.downOf(caller.ref()));
                    assertThat(Kernel.processes()).isSubsetOf(before);
                },
                SpawnOptions.defaults().clock(clock));
    }

    @Test
    void aCrashingStreamTaskMakesTheStreamThrowItsCrashInATrappingCaller() {
        InProcess.run(() -> {
            Kernel.trapExit(true);
            Set<Pid> before = new HashSet<>(Kernel.processes());
            IllegalStateException boom = new IllegalStateException("oops");
            try (Stream<Integer> results = Task.asyncStream(
                    IntStream.range(0, 6).boxed().toList(),
                    i -> {
                        if (i == 2) {
                            throw boom;
                        }
                        if (i > 2) {
                            Kernel.receive(Match.none());
                        }
                        return i;
                    },
                    3)) {
                assertThatThrownBy(results::toList).isInstanceOfSatisfying(ExitException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ExitReason.crash(boom));
                    assertThat(e.getCause()).isSameAs(boom);
                });
            }
            assertThat(Kernel.processes()).containsExactlyInAnyOrderElementsOf(before);
            assertMailboxEmpty();
            Kernel.trapExit(false);
        });
    }

    @Test
    void aCrashingStreamTaskTakesANonTrappingCallerDownWithItsCrash() {
        InProcess.run(() -> {
            IllegalStateException boom = new IllegalStateException("oops");
            Set<Pid> before = new HashSet<>(Kernel.processes());
            Spawned caller = Kernel.spawn(
                    () -> {
                        try (Stream<Integer> results = Task.asyncStream(
                                List.of(0, 1, 2),
                                i -> {
                                    if (i == 1) {
                                        throw boom;
                                    }
                                    Kernel.receive(Match.none());
                                    return i;
                                },
                                3)) {
                            results.forEach(i -> {});
                        }
                    },
                    SpawnOptions.defaults().monitor());
            assertThat(expect(Signals.downOf(caller.ref())).reason()).isEqualTo(ExitReason.crash(boom));
            Awaitility.await()
                    .atMost(WAIT)
                    .until(() -> before.containsAll(Kernel.processes())); // the other tasks are gone
        });
    }

    @Test
    void aStreamIsConsumedOnlyByTheProcessThatCreatedIt() {
        InProcess.run(() -> {
            Pid test = Kernel.self();
            Stream<Integer> results = Task.asyncStream(List.of(1, 2), i -> i, 1);
            Pid other = Kernel.spawn(() -> {
                try {
                    results.forEach(i -> {});
                    Kernel.send(test, "consumed");
                } catch (IllegalStateException e) {
                    Kernel.send(test, String.valueOf(e.getMessage()));
                }
            });
            assertThat(expect(Match.type(String.class))).contains("consumed and closed by the process " + test);
            Signals.awaitExit(other);
            assertThatThrownBy(() -> Task.asyncStream(List.of(1), i -> i, 0))
                    .isInstanceOf(IllegalArgumentException.class);
            results.close();
        });
    }
}
