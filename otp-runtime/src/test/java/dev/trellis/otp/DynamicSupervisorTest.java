package dev.trellis.otp;

import static dev.trellis.otp.Supervision.awaitDown;
import static dev.trellis.otp.Supervision.exitAndWait;
import static dev.trellis.otp.Supervision.expect;
import static dev.trellis.otp.Supervision.refuteQueued;
import static dev.trellis.otp.Supervision.started;
import static dev.trellis.otp.Supervision.stopping;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trellis.otp.observe.ProcessInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/// Elixir's dynamic_supervisor_test, and the parallel shutdown and leak cases.
@ExtendWith(SupervisionLeakCheck.class)
class DynamicSupervisorTest {

    static final ExitReason CRASH = ExitReason.other("boom");

    /// What a start function that records its extra arguments sends to the test.
    record GotExtra(List<Object> extra) {}

    /// A spec whose start fails while `failures` is positive (counting down), else starts a
    /// [ReportingChild] `id`.
    static ChildSpec flaky(Object id, AtomicInteger failures) {
        ChildSpec base = ReportingChild.spec(id);
        return ChildSpec.worker(
                id,
                extra -> failures.getAndDecrement() > 0
                        ? new StartResult.Failed(ExitReason.other("not now"))
                        : base.start().start(extra));
    }

    @Test
    void startAndStopBucketsAsTheJavadocExampleShows() {
        InProcess.run(() -> {
            Pid buckets = DynamicSupervisor.startLink(
                            DynamicSupervisorFlags.defaults(),
                            StartOptions.defaults().name("kv_bucket_supervisor"))
                    .orThrow();
            ChildSpec bucket = ReportingChild.spec("bucket").restart(ChildSpec.Restart.TEMPORARY);
            Pid b = DynamicSupervisor.startChild(Name.local("kv_bucket_supervisor"), bucket)
                    .orThrow();
            assertThat(started("bucket").pid()).isEqualTo(b);
            assertThat(DynamicSupervisor.countChildren(buckets)).isEqualTo(new ChildCounts(1, 1, 0, 1));
            assertThat(DynamicSupervisor.terminateChild(buckets, b)).isEqualTo(new DynamicSupervisor.Terminated());
            assertThat(DynamicSupervisor.countChildren(Name.local("kv_bucket_supervisor")))
                    .isEqualTo(new ChildCounts(0, 0, 0, 0));
            DynamicSupervisor.stop(buckets);
        });
    }

    @Test
    void startChildReturnsTheStartedPidAndSupervisesIt() {
        InProcess.run(() -> {
            Pid sup = DynamicSupervisor.startLink(DynamicSupervisorFlags.defaults())
                    .orThrow();
            DynamicSupervisor.StartChildResult result = DynamicSupervisor.startChild(sup, ReportingChild.spec("w"));
            Pid w = started("w").pid();
            assertThat(result).isEqualTo(new DynamicSupervisor.Started(w));
            assertThat(DynamicSupervisor.whichChildren(sup)).singleElement().satisfies(c -> {
                assertThat(c.id()).isEqualTo("w");
                assertThat(c.pid()).contains(w);
                assertThat(c.type()).isEqualTo(ChildSpec.Type.WORKER);
            });
            assertThat(Kernel.processInfo(w).orElseThrow().links()).contains(sup);
            assertThat(Kernel.processInfo(sup).orElseThrow().label()).isEqualTo(DynamicSupervisor.class.getName());
            DynamicSupervisor.stop(sup);
        });
    }

    @Test
    void startChildReturnsIgnoredAndKeepsNothingWhenTheChildIgnores() {
        InProcess.run(() -> {
            Pid sup = DynamicSupervisor.startLink(DynamicSupervisorFlags.defaults())
                    .orThrow();
            assertThat(DynamicSupervisor.startChild(sup, ChildSpec.worker("i", () -> new StartResult.Ignore())))
                    .isEqualTo(new DynamicSupervisor.Ignored());
            assertThat(DynamicSupervisor.countChildren(sup)).isEqualTo(new ChildCounts(0, 0, 0, 0));
            DynamicSupervisor.stop(sup);
        });
    }

    @Test
    void startChildReturnsFailedWithTheReasonOfAFailedOrThrowingStart() {
        InProcess.run(() -> {
            Pid sup = DynamicSupervisor.startLink(DynamicSupervisorFlags.defaults())
                    .orThrow();
            assertThat(DynamicSupervisor.startChild(sup, ChildSpec.worker("f", () -> new StartResult.Failed(CRASH))))
                    .isEqualTo(new DynamicSupervisor.Failed(CRASH));
            RuntimeException oops = new RuntimeException("oops");
            assertThat(DynamicSupervisor.startChild(sup, ChildSpec.worker("e", () -> {
                        throw oops;
                    })))
                    .isEqualTo(new DynamicSupervisor.Failed(ExitReason.crash(oops)));
            assertThat(DynamicSupervisor.startChild(sup, ChildSpec.worker("x", () -> {
                        throw new ExitException(ExitReason.other("oops"));
                    })))
                    .isEqualTo(new DynamicSupervisor.Failed(ExitReason.other("oops")));
            Pid self = Kernel.self();
            assertThat(DynamicSupervisor.startChild(
                            sup, ChildSpec.worker("a", () -> new StartResult.AlreadyStarted(self))))
                    .isEqualTo(new DynamicSupervisor.Failed(ExitReason.other(new StartResult.AlreadyStarted(self))));
            assertThat(DynamicSupervisor.countChildren(sup)).isEqualTo(new ChildCounts(0, 0, 0, 0));
            DynamicSupervisor.stop(sup);
        });
    }

    @Test
    void startChildReturnsMaxChildrenOnceTheLimitIsReached() {
        InProcess.run(() -> {
            Pid none = DynamicSupervisor.startLink(
                            DynamicSupervisorFlags.defaults().maxChildren(0))
                    .orThrow();
            assertThat(DynamicSupervisor.startChild(none, ReportingChild.spec("w")))
                    .isEqualTo(new DynamicSupervisor.MaxChildren());
            Pid one = DynamicSupervisor.startLink(
                            DynamicSupervisorFlags.defaults().maxChildren(1))
                    .orThrow();
            DynamicSupervisor.startChild(one, ReportingChild.spec("w")).orThrow();
            started("w");
            assertThat(DynamicSupervisor.startChild(one, ReportingChild.spec("w")))
                    .isEqualTo(new DynamicSupervisor.MaxChildren());
            assertThatThrownBy(() -> DynamicSupervisor.startChild(one, ReportingChild.spec("w"))
                            .orThrow())
                    .isInstanceOf(ExitException.class);
            refuteQueued(Match.type(ReportingChild.Started.class));
            DynamicSupervisor.stop(none);
            DynamicSupervisor.stop(one);
        });
    }

    @Test
    void restartingChildrenCountTowardsMaxChildren() {
        InProcess.run(() -> {
            AtomicInteger failures = new AtomicInteger();
            Pid sup = DynamicSupervisor.start(DynamicSupervisorFlags.defaults().maxChildren(1))
                    .orThrow();
            Pid child = DynamicSupervisor.startChild(sup, flaky("w", failures)).orThrow();
            started("w");
            failures.set(1);
            Sys.suspend(sup);
            exitAndWait(child, CRASH);
            Supervision.async(() -> DynamicSupervisor.startChild(sup, ReportingChild.spec("other")));
            Supervision.async(() -> DynamicSupervisor.countChildren(sup));
            Supervision.awaitQueued(sup, 3);
            Sys.resume(sup); // the restart fails; these calls are handled before its retry
            List<Object> results = List.of(
                    expect(Match.type(Supervision.Result.class)).value(),
                    expect(Match.type(Supervision.Result.class)).value());
            assertThat(results)
                    .containsExactlyInAnyOrder(new DynamicSupervisor.MaxChildren(), new ChildCounts(1, 0, 0, 1));
            Pid again = started("w").pid(); // the retry
            assertThat(DynamicSupervisor.whichChildren(sup)).singleElement().satisfies(c -> {
                assertThat(c.pid()).contains(again);
                assertThat(c.restarts()).isEqualTo(1);
                assertThat(c.lastExit()).contains(CRASH);
            });
            DynamicSupervisor.stop(sup);
        });
    }

    @Test
    void extraArgumentsAreGivenToTheChildOnEveryRestart() {
        InProcess.run(() -> {
            Pid test = Kernel.self();
            List<Object> extra = List.of("config", 42);
            Pid sup = DynamicSupervisor.startLink(
                            DynamicSupervisorFlags.defaults().extraArguments(extra))
                    .orThrow();
            ChildSpec spec = ChildSpec.worker("w", args -> {
                Kernel.send(test, new GotExtra(args));
                return GenServer.startLink(new ReportingChild("w", test, ReportingChild.Mode.PLAIN));
            });
            Pid w = DynamicSupervisor.startChild(sup, spec).orThrow();
            assertThat(expect(Match.type(GotExtra.class)).extra()).isEqualTo(extra);
            exitAndWait(w, CRASH);
            assertThat(expect(Match.type(GotExtra.class)).extra()).isEqualTo(extra);
            started("w");
            Pid again = started("w").pid();
            assertThat(DynamicSupervisor.countChildren(sup)).isEqualTo(new ChildCounts(1, 1, 0, 1));
            assertThat(DynamicSupervisor.whichChildren(sup).getFirst().pid()).contains(again);
            DynamicSupervisor.stop(sup);
        });
    }

    @Test
    void temporaryChildrenAreNotRestartedWhateverTheReason() {
        InProcess.run(() -> {
            Pid sup = DynamicSupervisor.startLink(DynamicSupervisorFlags.defaults())
                    .orThrow();
            ChildSpec spec = ReportingChild.spec("t").restart(ChildSpec.Restart.TEMPORARY);
            for (ExitReason reason : List.of(ExitReason.SHUTDOWN, CRASH, ExitReason.NORMAL)) {
                Pid t = DynamicSupervisor.startChild(sup, spec).orThrow();
                started("t");
                Supervision.stopChild(t, reason);
                assertThat(DynamicSupervisor.countChildren(sup)).isEqualTo(new ChildCounts(0, 0, 0, 0));
            }
            refuteQueued(Match.type(ReportingChild.Started.class));
            DynamicSupervisor.stop(sup);
        });
    }

    @Test
    void transientChildrenAreRestartedUnlessTheyExitCleanly() {
        InProcess.run(() -> {
            Pid sup = DynamicSupervisor.startLink(DynamicSupervisorFlags.defaults())
                    .orThrow();
            ChildSpec spec = ReportingChild.spec("t").restart(ChildSpec.Restart.TRANSIENT);
            for (ExitReason reason : List.of(ExitReason.SHUTDOWN, ExitReason.shutdown("signal"), ExitReason.NORMAL)) {
                Pid t = DynamicSupervisor.startChild(sup, spec).orThrow();
                started("t");
                Supervision.stopChild(t, reason);
                assertThat(DynamicSupervisor.countChildren(sup)).isEqualTo(new ChildCounts(0, 0, 0, 0));
            }
            Pid t = DynamicSupervisor.startChild(sup, spec).orThrow();
            started("t");
            Supervision.stopChild(t, CRASH);
            assertThat(DynamicSupervisor.countChildren(sup)).isEqualTo(new ChildCounts(1, 1, 0, 1));
            started("t");
            DynamicSupervisor.stop(sup);
        });
    }

    @Test
    void permanentChildrenAreRestartedWhateverTheReason() {
        InProcess.run(() -> {
            Pid sup = DynamicSupervisor.startLink(
                            DynamicSupervisorFlags.defaults().maxRestarts(100))
                    .orThrow();
            ChildSpec spec = ReportingChild.spec("p");
            int n = 0;
            for (ExitReason reason : List.of(ExitReason.SHUTDOWN, ExitReason.shutdown("signal"), CRASH)) {
                Pid p = DynamicSupervisor.startChild(sup, spec).orThrow();
                started("p");
                Supervision.stopChild(p, reason);
                started("p");
                n++;
                assertThat(DynamicSupervisor.countChildren(sup)).isEqualTo(new ChildCounts(n, n, 0, n));
            }
            DynamicSupervisor.stop(sup);
        });
    }

    @Test
    void aChildWhoseRestartFailsIsRetriedUntilItStarts() {
        InProcess.run(() -> {
            AtomicInteger failures = new AtomicInteger();
            Pid sup = DynamicSupervisor.startLink(
                            DynamicSupervisorFlags.defaults().maxRestarts(10))
                    .orThrow();
            Pid child = DynamicSupervisor.startChild(sup, flaky("w", failures)).orThrow();
            started("w");
            failures.set(2);
            exitAndWait(child, CRASH);
            Pid again = started("w").pid();
            assertThat(DynamicSupervisor.countChildren(sup)).isEqualTo(new ChildCounts(1, 1, 0, 1));
            assertThat(DynamicSupervisor.whichChildren(sup).getFirst().pid()).contains(again);
            DynamicSupervisor.stop(sup);
        });
    }

    @Test
    void aChildThatKeepsFailingToRestartMakesTheSupervisorExceedItsMaximumRestarts() {
        InProcess.run(() -> {
            AtomicInteger failures = new AtomicInteger();
            Pid sup = DynamicSupervisor.start(DynamicSupervisorFlags.defaults().maxRestarts(1))
                    .orThrow();
            Pid child = DynamicSupervisor.startChild(sup, flaky("w", failures)).orThrow();
            Pid other = DynamicSupervisor.startChild(sup, ReportingChild.spec("other"))
                    .orThrow();
            failures.set(Integer.MAX_VALUE);
            Ref supRef = Kernel.monitor(sup);
            Ref otherRef = Kernel.monitor(other);
            Kernel.exit(child, CRASH);
            assertThat(awaitDown(supRef)).isEqualTo(ExitReason.SHUTDOWN);
            assertThat(awaitDown(otherRef)).isEqualTo(ExitReason.SHUTDOWN);
        });
    }

    @Test
    void terminateChildStopsTheChildAsItsShutdownSaysAndForgetsIt() {
        InProcess.run(() -> {
            Pid sup = DynamicSupervisor.startLink(DynamicSupervisorFlags.defaults())
                    .orThrow();
            Pid brutal = DynamicSupervisor.startChild(
                            sup,
                            ReportingChild.spec("b", ReportingChild.Mode.TRAPPING)
                                    .shutdown(ChildSpec.Shutdown.brutalKill()))
                    .orThrow();
            Pid polite = DynamicSupervisor.startChild(sup, ReportingChild.spec("p", ReportingChild.Mode.TRAPPING))
                    .orThrow();
            Ref b = Kernel.monitor(brutal);
            Ref p = Kernel.monitor(polite);
            assertThat(DynamicSupervisor.terminateChild(sup, brutal)).isEqualTo(new DynamicSupervisor.Terminated());
            assertThat(awaitDown(b)).isEqualTo(ExitReason.KILLED);
            assertThat(DynamicSupervisor.terminateChild(sup, polite)).isEqualTo(new DynamicSupervisor.Terminated());
            assertThat(stopping().id()).isEqualTo("p");
            assertThat(awaitDown(p)).isEqualTo(ExitReason.SHUTDOWN);
            assertThat(DynamicSupervisor.terminateChild(sup, polite)).isEqualTo(new DynamicSupervisor.NotFound());
            assertThat(DynamicSupervisor.terminateChild(sup, Kernel.self()))
                    .isEqualTo(new DynamicSupervisor.NotFound());
            assertThat(DynamicSupervisor.countChildren(sup)).isEqualTo(new ChildCounts(0, 0, 0, 0));
            DynamicSupervisor.stop(sup);
        });
    }

    @Test
    void terminateChildForgetsARestartingChild() {
        InProcess.run(() -> {
            AtomicInteger failures = new AtomicInteger();
            Pid sup = DynamicSupervisor.start(DynamicSupervisorFlags.defaults().maxRestarts(10))
                    .orThrow();
            Pid child = DynamicSupervisor.startChild(sup, flaky("w", failures)).orThrow();
            started("w");
            failures.set(1);
            Sys.suspend(sup);
            exitAndWait(child, CRASH);
            Supervision.async(() -> DynamicSupervisor.whichChildren(sup));
            Supervision.awaitQueued(sup, 2);
            Supervision.async(() -> DynamicSupervisor.terminateChild(sup, child));
            Supervision.awaitQueued(sup, 3);
            Sys.resume(sup);
            // The supervisor answers in queue order, but each answer reaches this process through
            // its own helper process, so the two Results may come in either order.
            List<Object> results = List.of(
                    expect(Match.type(Supervision.Result.class)).value(),
                    expect(Match.type(Supervision.Result.class)).value());
            assertThat(results).contains(new DynamicSupervisor.Terminated());
            assertThat(results)
                    .filteredOn(List.class::isInstance)
                    .singleElement()
                    .satisfies(which -> assertThat((List<?>) which)
                            .singleElement()
                            .satisfies(c -> {
                                assertThat(((ChildInfo) c).restarting()).isTrue();
                                assertThat(((ChildInfo) c).pid()).isEmpty();
                            }));
            assertThat(DynamicSupervisor.countChildren(sup)).isEqualTo(new ChildCounts(0, 0, 0, 0));
            refuteQueued(Match.type(ReportingChild.Started.class)); // the queued retry found nothing to do
            DynamicSupervisor.stop(sup);
        });
    }

    @Test
    void significantChildrenAreRejected() {
        InProcess.run(() -> {
            Pid sup = DynamicSupervisor.startLink(DynamicSupervisorFlags.defaults())
                    .orThrow();
            assertThatThrownBy(() -> DynamicSupervisor.startChild(
                            sup,
                            ReportingChild.spec("s")
                                    .restart(ChildSpec.Restart.TEMPORARY)
                                    .significant()))
                    .isInstanceOf(IllegalArgumentException.class);
            DynamicSupervisor.stop(sup);
        });
    }

    @Test
    void countChildrenCountsSupervisorsAndWorkers() {
        InProcess.run(() -> {
            Pid sup = DynamicSupervisor.startLink(DynamicSupervisorFlags.defaults())
                    .orThrow();
            DynamicSupervisor.startChild(sup, ReportingChild.spec("w")).orThrow();
            DynamicSupervisor.startChild(sup, Supervisor.childSpec("s", List.of(), SupervisorFlags.oneForOne()))
                    .orThrow();
            assertThat(DynamicSupervisor.countChildren(sup)).isEqualTo(new ChildCounts(2, 2, 1, 1));
            assertThat(DynamicSupervisor.whichChildren(sup))
                    .extracting(ChildInfo::type)
                    .containsExactly(ChildSpec.Type.WORKER, ChildSpec.Type.SUPERVISOR);
            DynamicSupervisor.stop(sup);
        });
    }

    // ---- stopping -----------------------------------------------------------------------

    @Test
    void whenTheSupervisorStopsEveryChildGetsItsExitSignalBeforeAnyIsWaitedFor() {
        InProcess.run(() -> {
            Pid sup = DynamicSupervisor.start(DynamicSupervisorFlags.defaults()).orThrow();
            List<Ref> refs = new ArrayList<>();
            List<Pid> children = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ChildSpec slow =
                        ReportingChild.spec("c" + i, ReportingChild.Mode.SLOW).shutdown(ChildSpec.Shutdown.infinity());
                Pid c = DynamicSupervisor.startChild(sup, slow).orThrow();
                children.add(c);
                refs.add(Kernel.monitor(c));
            }
            Ref supRef = Kernel.monitor(sup);
            Kernel.exit(sup, ExitReason.SHUTDOWN);
            // Every child is in its (slow) terminate at once: none has been allowed to finish.
            List<Pid> stoppingNow = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                stoppingNow.add(stopping().pid());
            }
            assertThat(stoppingNow).containsExactlyInAnyOrderElementsOf(children);
            assertThat(Kernel.isAlive(sup)).isTrue();
            children.forEach(c -> Kernel.send(c, new ReportingChild.Go()));
            for (Ref r : refs) {
                assertThat(awaitDown(r)).isEqualTo(ExitReason.SHUTDOWN);
            }
            assertThat(awaitDown(supRef)).isEqualTo(ExitReason.SHUTDOWN);
        });
    }

    @Test
    void childrenPastTheirShutdownTimeoutAreKilledAfterTheLongestTimeoutNotTheSum() {
        ManualClock clock = new ManualClock();
        InProcess.run(
                () -> {
                    Pid sup = DynamicSupervisor.start(DynamicSupervisorFlags.defaults())
                            .orThrow();
                    ChildSpec stubborn = ReportingChild.spec("s", ReportingChild.Mode.STUBBORN);
                    Pid a = DynamicSupervisor.startChild(sup, stubborn.shutdown(Duration.ofSeconds(5)))
                            .orThrow();
                    Pid b = DynamicSupervisor.startChild(sup, stubborn.shutdown(Duration.ofSeconds(5)))
                            .orThrow();
                    Pid c = DynamicSupervisor.startChild(sup, stubborn.shutdown(Duration.ofSeconds(2)))
                            .orThrow();
                    Ref ra = Kernel.monitor(a);
                    Ref rb = Kernel.monitor(b);
                    Ref rc = Kernel.monitor(c);
                    Ref supRef = Kernel.monitor(sup);
                    Kernel.exit(sup, ExitReason.SHUTDOWN);
                    stopping();
                    stopping();
                    stopping();
                    // One kill timer per distinct timeout: 2 s and 5 s.
                    Awaitility.await().atMost(Supervision.WAIT).until(() -> clock.pendingTimers() == 2);
                    clock.advance(Duration.ofSeconds(2));
                    assertThat(awaitDown(rc)).isEqualTo(ExitReason.KILLED);
                    assertThat(Kernel.isAlive(a)).isTrue();
                    assertThat(Kernel.isAlive(b)).isTrue();
                    clock.advance(Duration.ofSeconds(3)); // 5 s in all: the longest, not 12 s
                    assertThat(awaitDown(ra)).isEqualTo(ExitReason.KILLED);
                    assertThat(awaitDown(rb)).isEqualTo(ExitReason.KILLED);
                    assertThat(awaitDown(supRef)).isEqualTo(ExitReason.SHUTDOWN);
                },
                SpawnOptions.defaults().clock(clock).label("test"));
    }

    @Test
    void childrenAreStoppedAsTheirShutdownsSayWhenTheSupervisorStops() {
        InProcess.run(() -> {
            Pid sup = DynamicSupervisor.startLink(DynamicSupervisorFlags.defaults())
                    .orThrow();
            Pid brutal = DynamicSupervisor.startChild(
                            sup,
                            ReportingChild.spec("b", ReportingChild.Mode.TRAPPING)
                                    .shutdown(ChildSpec.Shutdown.brutalKill()))
                    .orThrow();
            Pid infinite = DynamicSupervisor.startChild(
                            sup,
                            ReportingChild.spec("i", ReportingChild.Mode.TRAPPING)
                                    .shutdown(ChildSpec.Shutdown.infinity()))
                    .orThrow();
            Pid plain =
                    DynamicSupervisor.startChild(sup, ReportingChild.spec("p")).orThrow();
            Ref b = Kernel.monitor(brutal);
            Ref i = Kernel.monitor(infinite);
            Ref p = Kernel.monitor(plain);
            DynamicSupervisor.stop(sup);
            assertThat(awaitDown(b)).isEqualTo(ExitReason.KILLED);
            assertThat(awaitDown(i)).isEqualTo(ExitReason.SHUTDOWN);
            assertThat(awaitDown(p)).isEqualTo(ExitReason.SHUTDOWN);
            assertThat(stopping().id()).isEqualTo("i");
            refuteQueued(Match.type(ReportingChild.Stopping.class));
        });
    }

    @Test
    void childrenThatExitWithAnotherReasonDuringShutdownAreNotRestarted() {
        InProcess.run(() -> {
            Pid sup = DynamicSupervisor.start(DynamicSupervisorFlags.defaults()).orThrow();
            List<Pid> children = new ArrayList<>();
            for (int n = 0; n < 3; n++) {
                children.add(DynamicSupervisor.startChild(sup, ReportingChild.spec("s", ReportingChild.Mode.SLOW))
                        .orThrow());
                started("s");
            }
            List<Ref> refs = children.stream().map(Kernel::monitor).toList();
            Ref supRef = Kernel.monitor(sup);
            Kernel.exit(sup, ExitReason.SHUTDOWN);
            stopping();
            stopping();
            stopping();
            children.forEach(c -> Kernel.send(c, new ReportingChild.GoAndExit(ExitReason.shutdown("oops"))));
            for (Ref r : refs) {
                assertThat(awaitDown(r)).isEqualTo(ExitReason.shutdown("oops"));
            }
            assertThat(awaitDown(supRef)).isEqualTo(ExitReason.SHUTDOWN);
            refuteQueued(Match.type(ReportingChild.Started.class));
        });
    }

    @Test
    void tenThousandTemporaryChildrenLeaveNothingBehind() {
        InProcess.run(() -> {
            Pid sup = DynamicSupervisor.start(DynamicSupervisorFlags.defaults()).orThrow();
            ChildSpec temporary = ChildSpec.worker(
                            "t", () -> new StartResult.Ok(Kernel.spawnLink(() -> Kernel.receive(Match.equalTo("end")))))
                    .restart(ChildSpec.Restart.TEMPORARY);
            int n = 10_000;
            List<Pid> children = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                children.add(DynamicSupervisor.startChild(sup, temporary).orThrow());
            }
            assertThat(DynamicSupervisor.countChildren(sup)).isEqualTo(new ChildCounts(n, n, 0, n));
            List<Ref> refs = children.stream().map(Kernel::monitor).toList();
            children.forEach(c -> Kernel.send(c, "end"));
            for (Ref r : refs) {
                awaitDown(r);
            }
            // Each child's Exit reached the supervisor before its Down reached us.
            assertThat(DynamicSupervisor.countChildren(sup)).isEqualTo(new ChildCounts(0, 0, 0, 0));
            assertThat(DynamicSupervisor.whichChildren(sup)).isEmpty();
            ProcessInfo info = Kernel.processInfo(sup).orElseThrow();
            assertThat(info.mailboxLength()).isZero();
            assertThat(info.links()).isEmpty();
            assertThat(info.monitoredBy()).isEmpty();
            DynamicSupervisor.stop(sup);
        });
    }
}
