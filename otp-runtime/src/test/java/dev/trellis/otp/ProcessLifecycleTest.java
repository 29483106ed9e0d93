package dev.trellis.otp;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.trellis.otp.observe.ProcessInfo;
import dev.trellis.otp.observe.ProcessStatus;
import dev.trellis.otp.observe.RuntimeStatistics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/// Spawning at scale, exceptions as exit reasons and crash logs, introspection.
class ProcessLifecycleTest {

    @Test
    void aHundredThousandProcessesEachTakingOneMessageFinishWithoutLeaking() throws Exception {
        long baseline = Kernel.statistics().processes();
        int n = 100_000;
        CountDownLatch done = new CountDownLatch(n);
        Pid[] pids = new Pid[n];
        for (int i = 0; i < n; i++) {
            pids[i] = Kernel.spawn(() -> {
                Kernel.receive();
                done.countDown();
            });
        }
        for (Pid p : pids) {
            Kernel.send(p, "go");
        }
        assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> Kernel.statistics().processes() <= baseline);
    }

    @Test
    void selfStillWorksWhenTheBodyReplacesItsThreadsUncaughtExceptionHandler() {
        InProcess.run(() -> {
            Pid me = Kernel.self();
            Thread.currentThread().setUncaughtExceptionHandler((t, e) -> {});
            assertThat(Kernel.inProcess()).isTrue();
            assertThat(Kernel.self()).isEqualTo(me);
            Kernel.send(me, "to myself");
            assertThat(Kernel.receive(Match.equalTo("to myself"))).isEqualTo("to myself");
        });
    }

    @Test
    void aPlainThreadStartedFromAProcessIsNotAProcess() throws Exception {
        InProcess.run(() -> {
            CompletableFuture<Boolean> inside = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> inside.complete(Kernel.inProcess()));
            assertThat(inside.get(10, TimeUnit.SECONDS)).isFalse();
        });
    }

    @Test
    void anUncaughtExceptionBecomesTheExitReason() {
        InProcess.run(() -> {
            IllegalStateException boom = new IllegalStateException("boom");
            Spawned s = Kernel.spawnMonitor(() -> {
                throw boom;
            });
            ExitReason r = InProcess.expect(Signals.downOf(s.ref())).reason();
            assertThat(r)
                    .isInstanceOfSatisfying(
                            ExitReason.Crash.class,
                            c -> assertThat(c.exception()).isSameAs(boom));
        });
    }

    @Test
    void aCrashOfAnUnlinkedUnmonitoredProcessIsLoggedOnce() {
        ListAppender<ILoggingEvent> log = capture();
        try {
            Pid p = Kernel.spawn(() -> {
                throw new IllegalStateException("nobody watches me");
            });
            Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> errorsAbout(log, p).size() == 1);
            assertThat(errorsAbout(log, p).getFirst().getThrowableProxy().getMessage())
                    .isEqualTo("nobody watches me");
            InProcess.run(() -> Signals.awaitExit(p));
            assertThat(errorsAbout(log, p)).hasSize(1);
        } finally {
            release(log);
        }
    }

    @Test
    void exitsByExitExceptionAndByLinkedCrashAreNotLogged() {
        ListAppender<ILoggingEvent> log = capture();
        try {
            InProcess.run(() -> {
                Spawned exits = Kernel.spawnMonitor(() -> Kernel.exit(ExitReason.other("chosen")));
                InProcess.expect(Signals.downOf(exits.ref()));
                Pid test = Kernel.self();
                Pid victim = Kernel.spawn(() -> {
                    Pid crasher = Kernel.spawnLink(() -> {
                        Kernel.receive(Match.equalTo("crash"));
                        throw new IllegalStateException("the only report");
                    });
                    Kernel.send(test, crasher);
                    Kernel.receive(Match.equalTo("never"));
                });
                Ref ref = Kernel.monitor(victim);
                Pid crasher = InProcess.expect(Match.type(Pid.class));
                Kernel.send(crasher, "crash");
                InProcess.expect(Signals.downOf(ref));
                Awaitility.await()
                        .atMost(Duration.ofSeconds(5))
                        .until(() -> errorsAbout(log, crasher).size() == 1);
                assertThat(errorsAbout(log, victim)).isEmpty();
                assertThat(errorsAbout(log, exits.pid())).isEmpty();
            });
        } finally {
            release(log);
        }
    }

    @Test
    void aProcessRunsOnAVirtualThreadNamedByItsLabel() {
        InProcess.run(() -> {
            Pid test = Kernel.self();
            Kernel.spawn(
                    () -> {
                        Thread t = Thread.currentThread();
                        Kernel.send(test, t.isVirtual() + " " + t.getName());
                    },
                    SpawnOptions.defaults().label("worker"));
            assertThat(InProcess.expect(Match.type(String.class))).isEqualTo("true worker");
        });
    }

    @Test
    void processInfoDescribesAWaitingProcess() {
        InProcess.run(() -> {
            Pid test = Kernel.self();
            Pid p = Kernel.spawn(
                            () -> {
                                Kernel.link(test);
                                Kernel.send(test, "ready");
                                Kernel.receive(Match.equalTo("stop"));
                            },
                            SpawnOptions.defaults().label("info subject"))
                    .pid();
            InProcess.expect(Match.equalTo("ready"));
            Kernel.register("info_subject", p);
            Ref ref = Kernel.monitor(p);
            Kernel.send(p, "queued 1");
            Kernel.send(p, "queued 2");
            Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> Kernel.processInfo(p).map(ProcessInfo::status).orElse(null) == ProcessStatus.WAITING);
            ProcessInfo info = Kernel.processInfo(p).orElseThrow();
            assertThat(info.label()).isEqualTo("info subject");
            assertThat(info.registeredName()).isEqualTo("info_subject");
            assertThat(info.parent()).isEqualTo(test);
            assertThat(info.mailboxLength()).isEqualTo(2);
            assertThat(info.links()).containsExactly(test);
            assertThat(info.monitoredBy()).containsExactly(test);
            assertThat(info.stack()).isNotEmpty();
            assertThat(Kernel.processes()).contains(p);
            Kernel.unlink(p);
            Kernel.send(p, "stop");
            InProcess.expect(Signals.downOf(ref));
            assertThat(Kernel.processInfo(p)).isEmpty();
            assertThat(Kernel.processes()).doesNotContain(p);
        });
    }

    @Test
    void statisticsCountSpawnsExitsAndMessages() {
        InProcess.run(() -> {
            RuntimeStatistics before = Kernel.statistics();
            Spawned s = Kernel.spawnMonitor(() -> {
                throw new IllegalStateException("counted");
            });
            InProcess.expect(Signals.downOf(s.ref()));
            Kernel.send(Kernel.self(), "one");
            Kernel.receive();
            RuntimeStatistics after = Kernel.statistics();
            assertThat(after.spawns()).isGreaterThan(before.spawns());
            assertThat(after.exits(RuntimeStatistics.ExitKind.CRASH))
                    .isGreaterThan(before.exits(RuntimeStatistics.ExitKind.CRASH));
            assertThat(after.messages()).isGreaterThanOrEqualTo(before.messages() + 2);
        });
    }

    @Test
    void pidsPrintLikeErlangAndRefsAreUnique() {
        InProcess.run(() -> {
            assertThat(Kernel.self().toString()).matches("<0\\.\\d+\\.0>");
            assertThat(Kernel.makeRef()).isNotEqualTo(Kernel.makeRef());
            assertThat(Kernel.makeRef().toString()).startsWith("#Ref<0.0.0.");
        });
    }

    private static ListAppender<ILoggingEvent> capture() {
        Logger logger = (Logger) LoggerFactory.getLogger("dev.trellis.otp.Process");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        return appender;
    }

    private static void release(ListAppender<ILoggingEvent> appender) {
        ((Logger) LoggerFactory.getLogger("dev.trellis.otp.Process")).detachAppender(appender);
    }

    private static List<ILoggingEvent> errorsAbout(ListAppender<ILoggingEvent> log, Pid pid) {
        synchronized (log.list) {
            return log.list.stream()
                    .filter(e -> e.getLevel() == Level.ERROR
                            && e.getFormattedMessage().contains(pid.toString()))
                    .toList();
        }
    }
}
