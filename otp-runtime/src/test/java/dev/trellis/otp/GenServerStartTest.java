package dev.trellis.otp;

import static dev.trellis.otp.ServerTesting.awaitTimers;
import static dev.trellis.otp.ServerTesting.exitFrom;
import static dev.trellis.otp.ServerTesting.expect;
import static dev.trellis.otp.ServerTesting.refute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/// Starting servers: names, links, every result of `init`, start timeouts (gen_server_SUITE's
/// start/init cases, Elixir's gen_server_test start tests).
@ExtendWith(SupervisionLeakCheck.class)
class GenServerStartTest {

    private static final String NAME = "gen_server_start_test";

    /// A server whose `init` tells the test it runs, then does what the test says.
    record Starting(Pid test, InitStep step) implements GenServer<Starting.Msg, String> {
        @FunctionalInterface
        interface InitStep {
            Init<String> run() throws Exception;
        }

        sealed interface Msg {}

        record Ping() implements Msg, Call<String> {}

        /// Sent by `init` before it does anything else.
        record Initialising(Pid pid) {}

        static Starting ok(Pid test) {
            return new Starting(test, () -> Init.ok("running"));
        }

        @Override
        public Init<String> init() throws Exception {
            Kernel.send(test, new Initialising(Kernel.self()));
            return step.run();
        }

        @Override
        public Next<String> handle(Msg msg, String state) {
            return switch (msg) {
                case Ping p -> Next.reply(p, "pong", state);
            };
        }
    }

    private static Pid initialised() {
        return expect(Match.type(Starting.Initialising.class)).pid();
    }

    // ---- start and startLink, with and without a name -----------------------------------------

    @Test
    void startRunsTheServerWithoutANameAndWithoutALink() {
        InProcess.run(() -> {
            StartResult result = GenServer.start(Starting.ok(Kernel.self()));
            Pid pid = ((StartResult.Ok) result).pid();
            assertThat(initialised()).isEqualTo(pid);
            assertThat(GenServer.call(pid, new Starting.Ping())).isEqualTo("pong");
            var info = Kernel.processInfo(pid).orElseThrow();
            assertThat(info.registeredName()).isNull();
            assertThat(info.links()).doesNotContain(Kernel.self());
            assertThat(info.parent()).isEqualTo(Kernel.self());
            assertThat(info.label()).isEqualTo(Starting.class.getName());
            GenServer.stop(pid);
        });
    }

    @Test
    void startUnderALocalNameRegistersItBeforeStartReturns() {
        InProcess.run(() -> {
            Pid pid = GenServer.start(
                            Starting.ok(Kernel.self()), StartOptions.defaults().name(NAME))
                    .orThrow();
            assertThat(Kernel.whereis(NAME)).contains(pid);
            assertThat(Kernel.processInfo(pid).orElseThrow().registeredName()).isEqualTo(NAME);
            assertThat(GenServer.call(Name.local(NAME), new Starting.Ping())).isEqualTo("pong");
            GenServer.stop(pid);
            assertThat(Kernel.whereis(NAME)).isEmpty();
        });
    }

    @Test
    void startLinkLinksTheServerToTheCaller() {
        InProcess.run(() -> {
            Pid pid = GenServer.startLink(Starting.ok(Kernel.self())).orThrow();
            assertThat(Kernel.processInfo(Kernel.self()).orElseThrow().links()).contains(pid);
            assertThat(Kernel.processInfo(pid).orElseThrow().links()).containsExactly(Kernel.self());
            assertThat(GenServer.call(pid, new Starting.Ping())).isEqualTo("pong");
            GenServer.stop(pid); // a normal exit does not take the caller down
            assertThat(Kernel.processInfo(Kernel.self()).orElseThrow().links()).doesNotContain(pid);
        });
    }

    @Test
    void startLinkUnderALocalNameRegistersAndLinks() {
        InProcess.run(() -> {
            Pid pid = GenServer.startLink(
                            Starting.ok(Kernel.self()), StartOptions.defaults().name(NAME))
                    .orThrow();
            assertThat(Kernel.whereis(NAME)).contains(pid);
            assertThat(Kernel.processInfo(pid).orElseThrow().links()).containsExactly(Kernel.self());
            assertThat(GenServer.call(Name.local(NAME), new Starting.Ping())).isEqualTo("pong");
            GenServer.stop(pid);
            assertThat(Kernel.whereis(NAME)).isEmpty();
        });
    }

    @Test
    void startUnderAViaNameRegistersInTheRegistry() {
        InProcess.run(() -> {
            MapRegistry registry = new MapRegistry();
            Name name = Name.via(registry, "stack");
            Pid pid = GenServer.start(
                            Starting.ok(Kernel.self()), StartOptions.defaults().name(name))
                    .orThrow();
            assertThat(registry.whereisName("stack")).contains(pid);
            assertThat(GenServer.call(name, new Starting.Ping())).isEqualTo("pong");
            assertThat(GenServer.start(
                            Starting.ok(Kernel.self()), StartOptions.defaults().name(name)))
                    .isEqualTo(new StartResult.AlreadyStarted(pid));
            GenServer.stop(pid);
        });
    }

    @Test
    void startWorksFromAPlainThread() {
        StartResult result = GenServer.start(new Starting(Kernel.spawn(() -> {}), () -> Init.ok("plain")));
        Pid pid = result.orThrow();
        assertThat(GenServer.call(pid, new Starting.Ping())).isEqualTo("pong");
        GenServer.stop(pid);
        assertThat(Kernel.isAlive(pid)).isFalse();
    }

    @Test
    void startLinkOutsideAProcessThrows() {
        assertThatThrownBy(() -> GenServer.startLink(new Starting(Kernel.spawn(() -> {}), () -> Init.ok("never"))))
                .isInstanceOf(IllegalStateException.class);
    }

    // ---- the results of init ------------------------------------------------------------------

    @Test
    void initIgnoreReturnsIgnoreLeavesNoProcessAndFreesTheName() {
        InProcess.run(() -> {
            StartResult result = GenServer.start(
                    new Starting(Kernel.self(), Init::ignore),
                    StartOptions.defaults().name(NAME));
            assertThat(Kernel.whereis(NAME)).isEmpty();
            assertThat(result).isEqualTo(new StartResult.Ignore());
            assertThat(Kernel.isAlive(initialised())).isFalse();
            assertThatThrownBy(result::orThrow)
                    .isInstanceOfSatisfying(
                            ExitException.class, e -> assertThat(e.reason()).isEqualTo(ExitReason.other("ignore")));
        });
    }

    @Test
    void initStopReturnsFailedWithItsReasonAndFreesTheNameBeforeStartReturns() {
        InProcess.run(() -> {
            ExitReason reason = ExitReason.other("bad_config");
            StartResult result = GenServer.start(
                    new Starting(Kernel.self(), () -> Init.stop(reason)),
                    StartOptions.defaults().name(NAME));
            assertThat(Kernel.whereis(NAME)).isEmpty();
            assertThat(result).isEqualTo(new StartResult.Failed(reason));
            assertThat(Kernel.isAlive(initialised())).isFalse();
            assertThatThrownBy(result::orThrow)
                    .isInstanceOfSatisfying(
                            ExitException.class, e -> assertThat(e.reason()).isEqualTo(reason));
        });
    }

    @Test
    void anExceptionInInitFailsWithACrashCarryingItAndLogsOneError() {
        try (LogCapture log = LogCapture.start()) {
            InProcess.run(() -> {
                IllegalStateException boom = new IllegalStateException("no configuration");
                StartResult result = GenServer.start(
                        new Starting(Kernel.self(), () -> {
                            throw boom;
                        }),
                        StartOptions.defaults().name(NAME));
                assertThat(Kernel.whereis(NAME)).isEmpty();
                assertThat(result)
                        .isInstanceOfSatisfying(
                                StartResult.Failed.class,
                                f -> assertThat(f.reason())
                                        .isInstanceOfSatisfying(
                                                ExitReason.Crash.class,
                                                c -> assertThat(c.exception()).isSameAs(boom)));
                Pid pid = initialised();
                assertThat(Kernel.isAlive(pid)).isFalse();
                List<ILoggingEvent> errors = log.at(Level.ERROR);
                assertThat(errors).hasSize(1);
                assertThat(errors.getFirst().getLoggerName()).isEqualTo(GenServer.class.getName());
                assertThat(errors.getFirst().getFormattedMessage()).contains(pid.toString(), NAME);
                assertThat(errors.getFirst().getThrowableProxy().getMessage()).isEqualTo("no configuration");
            });
        }
    }

    @Test
    void anInitThatExitsWithShutdownFailsWithoutLogging() {
        try (LogCapture log = LogCapture.start()) {
            InProcess.run(() -> {
                StartResult result = GenServer.start(new Starting(Kernel.self(), () -> {
                    Kernel.exit(ExitReason.SHUTDOWN);
                    return Init.ok("unreachable");
                }));
                assertThat(result).isEqualTo(new StartResult.Failed(ExitReason.SHUTDOWN));
                assertThat(log.at(Level.ERROR)).isEmpty();
            });
        }
    }

    @Test
    void aTakenNameGivesAlreadyStartedWithTheHolderAndNeverRunsInit() {
        InProcess.run(() -> {
            Pid holder = GenServer.start(
                            Starting.ok(Kernel.self()), StartOptions.defaults().name(NAME))
                    .orThrow();
            assertThat(initialised()).isEqualTo(holder);
            assertThat(GenServer.start(
                            Starting.ok(Kernel.self()), StartOptions.defaults().name(NAME)))
                    .isEqualTo(new StartResult.AlreadyStarted(holder));
            assertThat(GenServer.startLink(
                            Starting.ok(Kernel.self()), StartOptions.defaults().name(NAME)))
                    .isEqualTo(new StartResult.AlreadyStarted(holder));
            refute(Match.type(Starting.Initialising.class));
            assertThat(Kernel.whereis(NAME)).contains(holder);
            GenServer.stop(holder);
        });
    }

    @Test
    void startLinkWithAFailingInitDeliversTheExitToATrappingCaller() {
        InProcess.run(() -> {
            Kernel.trapExit(true);
            ExitReason reason = ExitReason.other("bad_config");
            StartResult result = GenServer.startLink(new Starting(Kernel.self(), () -> Init.stop(reason)));
            assertThat(result).isEqualTo(new StartResult.Failed(reason));
            Pid pid = initialised();
            assertThat(expect(exitFrom(pid)).reason()).isEqualTo(reason);

            IllegalStateException boom = new IllegalStateException("init crashed");
            StartResult crashed = GenServer.startLink(new Starting(Kernel.self(), () -> {
                throw boom;
            }));
            assertThat(crashed).isEqualTo(new StartResult.Failed(ExitReason.crash(boom)));
            assertThat(expect(exitFrom(initialised())).reason()).isEqualTo(ExitReason.crash(boom));
        });
    }

    @Test
    void startLinkWithAFailingInitTakesANonTrappingCallerDown() {
        InProcess.run(() -> {
            Pid test = Kernel.self();
            ExitReason reason = ExitReason.other("bad_config");
            Spawned caller = Kernel.spawnMonitor(() -> {
                GenServer.startLink(new Starting(test, () -> Init.stop(reason)));
                Kernel.send(test, "start returned");
            });
            assertThat(expect(ServerTesting.downOf(caller.ref())).reason()).isEqualTo(reason);
        });
    }

    // ---- start timeout ------------------------------------------------------------------------

    /// A server whose `init` waits for a message that never comes (no timeout: no timer).
    private static Starting slowInit(Pid test) {
        return new Starting(test, () -> {
            Kernel.receive(Match.equalTo("never sent"));
            return Init.ok("too late");
        });
    }

    @Test
    void startGivesUpOnASlowInitAfterItsTimeoutKillsItAndFreesTheName() {
        ManualClock clock = new ManualClock();
        InProcess.run(
                () -> {
                    Pid test = Kernel.self();
                    Kernel.spawn(() -> Kernel.send(
                            test,
                            GenServer.start(
                                    slowInit(test),
                                    StartOptions.defaults().name(NAME).timeout(Duration.ofSeconds(1)))));
                    Pid server = initialised();
                    awaitTimers(clock, 1);
                    clock.advance(Duration.ofMillis(999));
                    refute(Match.type(StartResult.class));
                    clock.advance(Duration.ofMillis(1));
                    assertThat(expect(Match.type(StartResult.class)))
                            .isEqualTo(new StartResult.Failed(GenServer.TIMEOUT));
                    assertThat(Kernel.isAlive(server)).isFalse();
                    assertThat(Kernel.whereis(NAME)).isEmpty();
                },
                SpawnOptions.defaults().clock(clock));
    }

    @Test
    void startLinkTimeoutUnlinksBeforeKillingSoTheCallerSurvivesAndGetsNoExit() {
        ManualClock clock = new ManualClock();
        InProcess.run(
                () -> {
                    Pid test = Kernel.self();
                    for (boolean trapping : new boolean[] {false, true}) {
                        Spawned caller = Kernel.spawnMonitor(() -> {
                            Kernel.trapExit(trapping);
                            StartResult result = GenServer.startLink(
                                    slowInit(test), StartOptions.defaults().timeout(Duration.ofSeconds(1)));
                            Optional<Exit> stray =
                                    Kernel.receive(Match.type(Exit.class), ServerTesting.QUIET, Clock.system());
                            Kernel.send(test, Map.entry(result, stray.isPresent()));
                        });
                        Pid server = initialised();
                        awaitTimers(clock, 1);
                        clock.advance(Duration.ofSeconds(1));
                        assertThat(expect(Match.type(Map.Entry.class)))
                                .as("trapping: " + trapping)
                                .isEqualTo(Map.entry(new StartResult.Failed(GenServer.TIMEOUT), false));
                        assertThat(expect(ServerTesting.downOf(caller.ref())).reason())
                                .isEqualTo(ExitReason.NORMAL);
                        assertThat(Kernel.isAlive(server)).isFalse();
                    }
                },
                SpawnOptions.defaults().clock(clock));
    }

    @Test
    void aStartTimeoutDoesNotAffectAnInitThatReturnsInTime() {
        ManualClock clock = new ManualClock();
        InProcess.run(
                () -> {
                    Pid pid = GenServer.start(
                                    Starting.ok(Kernel.self()),
                                    StartOptions.defaults().timeout(Duration.ofSeconds(1)))
                            .orThrow();
                    assertThat(clock.pendingTimers()).isZero();
                    clock.advance(Duration.ofSeconds(2));
                    assertThat(GenServer.call(pid, new Starting.Ping())).isEqualTo("pong");
                    GenServer.stop(pid);
                },
                SpawnOptions.defaults().clock(clock));
    }

    /// The smallest registry that can name processes: a map, checked for liveness on lookup.
    static final class MapRegistry implements ViaRegistry {
        private final Map<Object, Pid> names = new ConcurrentHashMap<>();

        @Override
        public boolean registerName(Object key, Pid pid) {
            names.values().removeIf(p -> !Kernel.isAlive(p));
            return names.putIfAbsent(key, pid) == null;
        }

        @Override
        public Optional<Pid> whereisName(Object key) {
            return Optional.ofNullable(names.get(key)).filter(Kernel::isAlive);
        }
    }
}
