package dev.trellis.otp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/// The code examples of the Javadoc of the smaller public types, run as written (adapted only as
/// far as needed to compile: names the example assumes, such as a `bucket` pid, are bound here).
/// The behaviours' examples run in their own suites; [#everyJavadocExampleRunsAsATest()] keeps the
/// list complete.
@ExtendWith(SupervisionLeakCheck.class)
class JavadocExamplesTest {

    /// Where the examples of each type with a `/// ## Examples` section run. A type that gains an
    /// example section must be added here, with a test.
    private static final Map<String, String> SUITES = Map.ofEntries(
            Map.entry("Agent", "AgentTest"),
            Map.entry("Application", "ApplicationTest"),
            Map.entry("ApplicationStopped", "JavadocExamplesTest"),
            Map.entry("ChildCounts", "JavadocExamplesTest"),
            Map.entry("ChildInfo", "JavadocExamplesTest"),
            Map.entry("ChildSpec", "JavadocExamplesTest"),
            Map.entry("DynamicSupervisor", "DynamicSupervisorTest"),
            Map.entry("DynamicSupervisorFlags", "JavadocExamplesTest"),
            Map.entry("ExitReason", "JavadocExamplesTest"),
            Map.entry("GenServer", "GenServerExamplesTest"),
            Map.entry("Kernel", "JavadocExamplesTest"),
            Map.entry("ManualClock", "JavadocExamplesTest"),
            Map.entry("Match", "JavadocExamplesTest"),
            Map.entry("Registry", "RegistryTest"),
            Map.entry("RegistryOptions", "JavadocExamplesTest"),
            Map.entry("Supervisor", "SupervisorChildrenTest"),
            Map.entry("SupervisorFlags", "JavadocExamplesTest"),
            Map.entry("Sys", "GenServerExamplesTest"),
            Map.entry("Table", "JavadocExamplesTest"),
            Map.entry("Task", "TaskTest"),
            Map.entry("TaskResult", "JavadocExamplesTest"),
            Map.entry("TaskSupervisor", "TaskSupervisorTest"));

    private static final Path MAIN = Path.of("src", "main", "java", "dev", "trellis", "otp");
    private static final Path TESTS = Path.of("src", "test", "java", "dev", "trellis", "otp");

    @Test
    void everyJavadocExampleRunsAsATest() throws IOException {
        List<String> withExamples = new ArrayList<>();
        try (Stream<Path> files = Files.list(MAIN)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (Files.readString(f).contains("/// ## Examples")) {
                    withExamples.add(f.getFileName().toString().replace(".java", ""));
                }
            }
        }
        assertThat(new TreeSet<>(withExamples)).isEqualTo(new TreeSet<>(SUITES.keySet()));
        for (Map.Entry<String, String> e : SUITES.entrySet()) {
            String suite = Files.readString(TESTS.resolve(e.getValue() + ".java"));
            assertThat(suite)
                    .as("%s runs the examples of %s", e.getValue(), e.getKey())
                    .containsPattern("void \\w*(Javadoc|Example|" + e.getKey() + ")\\w*\\(");
        }
    }

    // ---- Kernel ---------------------------------------------------------------------------------

    record Ping(Pid from) {}

    @Test
    void theKernelExampleEchoesAPong() {
        InProcess.run(() -> {
            Pid echo = Kernel.spawn(() -> {
                for (; ; ) {
                    Ping ping = Kernel.receive(Match.type(Ping.class));
                    Kernel.send(ping.from(), "pong");
                }
            });
            Kernel.send(echo, new Ping(Kernel.self()));
            Object reply = Kernel.receive(Match.equalTo("pong"));
            assertThat(reply).isEqualTo("pong");
            Kernel.exit(echo, ExitReason.KILL);
        });
    }

    // ---- Match ----------------------------------------------------------------------------------

    record Pong() {}

    record Reply(Ref ref, Object value) {}

    @Test
    void theMatchExampleTakesOnlyWhatItAsksFor() {
        InProcess.run(() -> {
            Ref ref = Kernel.makeRef();
            Pid self = Kernel.self();
            Kernel.send(self, "unrelated");
            Kernel.send(self, new Reply(Kernel.makeRef(), "not ours"));
            Kernel.send(self, new Pong());
            Kernel.send(self, new Reply(ref, "ours"));

            // Only a Pong, whatever else is queued:
            Pong pong = Kernel.receive(Match.type(Pong.class));
            // A reply carrying our reference, with a switch pattern:
            String reply = Kernel.receive(m -> m instanceof Reply(var r, String v) && r == ref ? v : null);

            assertThat(pong).isEqualTo(new Pong());
            assertThat(reply).isEqualTo("ours");
            assertThat(Kernel.receive(Duration.ZERO)).contains("unrelated");
            assertThat(Kernel.receive(Match.type(Reply.class), Duration.ZERO))
                    .get()
                    .extracting(Reply::value)
                    .isEqualTo("not ours");
        });
    }

    // ---- ManualClock ----------------------------------------------------------------------------

    @Test
    void theManualClockExampleTimesOutOnlyWhenTheClockIsAdvanced() {
        InProcess.run(() -> {
            Pid test = Kernel.self();
            ManualClock clock = new ManualClock();
            Pid p = Kernel.spawn(
                            () -> {
                                Optional<Object> m =
                                        Kernel.receive(Duration.ofSeconds(5)); // times out on the manual clock
                                Kernel.send(test, m.isEmpty() ? "timed out" : "got a message");
                            },
                            SpawnOptions.defaults().clock(clock))
                    .pid();
            Ref down = Kernel.monitor(p);
            Awaitility.await().until(() -> clock.pendingTimers() == 1); // wait until p is waiting
            clock.advance(Duration.ofSeconds(4));
            assertThat(Kernel.receive(Match.type(String.class), Duration.ZERO)).isEmpty();
            clock.advance(Duration.ofSeconds(1));
            assertThat(InProcess.expect(Match.type(String.class))).isEqualTo("timed out");
            InProcess.expect(Signals.downOf(down));
        });
    }

    // ---- Table ----------------------------------------------------------------------------------

    @Test
    void theTableExampleIsWrittenByItsOwnerAndReadFromAnywhere() throws Exception {
        Pid bucket = Kernel.spawn(() -> Kernel.receive(Match.none()));
        List<Optional<Pid>> fromAThread = new ArrayList<>();
        InProcess.run(() -> {
            // inside the owning process:
            Table<String, Pid> names = Table.create("kv_names", Table.Access.PROTECTED);
            names.insert("shopping", bucket);
            // from any process or thread:
            Optional<Pid> b = names.lookup("shopping");
            assertThat(b).contains(bucket);
            Thread reader = Thread.ofPlatform().start(() -> fromAThread.add(names.lookup("shopping")));
            reader.join();
        });
        assertThat(fromAThread).containsExactly(Optional.of(bucket));
        Kernel.exit(bucket, ExitReason.KILL);
    }

    // ---- ChildSpec, SupervisorFlags, DynamicSupervisorFlags ---------------------------------------

    /// Stands in for the guide's bucket in the ChildSpec example.
    static final class Bucket {
        static StartResult startLink() {
            return Agent.startLink(() -> 0, StartOptions.defaults());
        }

        static ChildSpec childSpec() {
            return ChildSpec.worker(Bucket.class, Bucket::startLink).restart(ChildSpec.Restart.TEMPORARY);
        }
    }

    @Test
    void theChildSpecExampleBuildsSpecsWithTheirDefaults() {
        DynamicSupervisorFlags flags = DynamicSupervisorFlags.defaults();
        ChildSpec registry = ChildSpec.worker("registry", () -> Agent.startLink(() -> 0, StartOptions.defaults()));
        ChildSpec bucket = ChildSpec.worker("bucket", () -> Bucket.startLink()).restart(ChildSpec.Restart.TEMPORARY);
        ChildSpec buckets = ChildSpec.supervisor("buckets", () -> DynamicSupervisor.startLink(flags));
        ChildSpec fast = registry.shutdown(ChildSpec.Shutdown.brutalKill());

        assertThat(registry.restart()).isEqualTo(ChildSpec.Restart.PERMANENT);
        assertThat(registry.shutdown()).isEqualTo(ChildSpec.DEFAULT_WORKER_SHUTDOWN);
        assertThat(bucket.restart()).isEqualTo(ChildSpec.Restart.TEMPORARY);
        assertThat(buckets.type()).isEqualTo(ChildSpec.Type.SUPERVISOR);
        assertThat(buckets.shutdown()).isEqualTo(ChildSpec.DEFAULT_SUPERVISOR_SHUTDOWN);
        assertThat(fast.shutdown()).isEqualTo(ChildSpec.Shutdown.brutalKill());
        assertThat(fast.id()).isEqualTo("registry");
        assertThat(Bucket.childSpec().restart()).isEqualTo(ChildSpec.Restart.TEMPORARY);

        InProcess.run(() -> {
            Pid sup = Supervisor.startLink(List.of(registry, buckets, fast.id("fast")), SupervisorFlags.oneForOne())
                    .orThrow();
            assertThat(Supervisor.whichChildren(sup))
                    .extracting(ChildInfo::id)
                    .containsExactly("registry", "buckets", "fast");
            Supervisor.stop(sup);
        });
    }

    @Test
    void theSupervisorFlagsExampleSetsIntensityPeriodAndAutoShutdown() {
        SupervisorFlags flags = SupervisorFlags.oneForAll(); // 3 restarts in 5 s
        SupervisorFlags patient = SupervisorFlags.oneForOne().intensity(10).period(Duration.ofSeconds(60));
        SupervisorFlags ends = SupervisorFlags.oneForOne().autoShutdown(SupervisorFlags.AutoShutdown.ANY_SIGNIFICANT);

        assertThat(flags.strategy()).isEqualTo(SupervisorFlags.Strategy.ONE_FOR_ALL);
        assertThat(flags.intensity()).isEqualTo(3);
        assertThat(flags.period()).isEqualTo(Duration.ofSeconds(5));
        assertThat(patient.intensity()).isEqualTo(10);
        assertThat(patient.period()).isEqualTo(Duration.ofSeconds(60));
        assertThat(ends.autoShutdown()).isEqualTo(SupervisorFlags.AutoShutdown.ANY_SIGNIFICANT);
        assertThat(ends.strategy()).isEqualTo(SupervisorFlags.Strategy.ONE_FOR_ONE);
    }

    @Test
    void theDynamicSupervisorFlagsExampleBoundsChildrenAndPassesExtraArguments() {
        Object pool = "pool";
        DynamicSupervisorFlags flags = DynamicSupervisorFlags.defaults(); // 3 restarts in 5 s, no limit
        DynamicSupervisorFlags bounded = DynamicSupervisorFlags.defaults().maxChildren(1_000_000);
        DynamicSupervisorFlags withPool = DynamicSupervisorFlags.defaults().extraArguments(List.of(pool));

        assertThat(flags.maxRestarts()).isEqualTo(3);
        assertThat(flags.maxSeconds()).isEqualTo(Duration.ofSeconds(5));
        assertThat(flags.maxChildren()).isEqualTo(DynamicSupervisorFlags.INFINITY);
        assertThat(bounded.maxChildren()).isEqualTo(1_000_000);
        assertThat(withPool.extraArguments()).containsExactly("pool");
    }

    // ---- ChildCounts, ChildInfo -------------------------------------------------------------------

    @Test
    void theChildCountsAndChildInfoExamplesDescribeTheChildren() {
        InProcess.run(() -> {
            Pid buckets = DynamicSupervisor.startLink(DynamicSupervisorFlags.defaults())
                    .orThrow();
            DynamicSupervisor.startChild(buckets, Bucket.childSpec());
            DynamicSupervisor.startChild(buckets, Bucket.childSpec());

            ChildCounts counts = DynamicSupervisor.countChildren(buckets);
            assertThat(counts.active()).isEqualTo(counts.specs()); // no child is restarting
            assertThat(counts).isEqualTo(new ChildCounts(2, 2, 0, 2));

            List<String> lines = new ArrayList<>();
            for (ChildInfo child : DynamicSupervisor.whichChildren(buckets)) {
                String state = child.pid().map(Pid::toString).orElse(child.restarting() ? "restarting" : "undefined");
                lines.add(child.id() + " " + state + " " + child.type());
            }
            assertThat(lines).hasSize(2).allMatch(l -> l.matches("class .*Bucket <0\\.\\d+\\.0> WORKER"));
            DynamicSupervisor.stop(buckets);
        });
    }

    // ---- ExitReason -----------------------------------------------------------------------------

    @Test
    void theExitReasonExampleSwitchesOverTheReason() {
        InProcess.run(() -> {
            List<String> texts = new ArrayList<>();
            for (ProcessBody body : List.<ProcessBody>of(() -> {}, () -> Kernel.exit(ExitReason.SHUTDOWN), () -> {
                throw new IllegalStateException("boom");
            })) {
                Spawned p = Kernel.spawnMonitor(body);
                Down down = InProcess.expect(Signals.downOf(p.ref()));

                ExitReason reason = down.reason();
                String text = switch (reason) {
                    case ExitReason.Normal n -> "finished";
                    case ExitReason.Crash c -> "crashed: " + c.exception();
                    default -> reason.toString();
                };
                texts.add(text);
            }
            assertThat(texts).containsExactly("finished", "shutdown", "crashed: java.lang.IllegalStateException: boom");
        });
    }

    // ---- ApplicationStopped ---------------------------------------------------------------------

    @Test
    void theApplicationStoppedExampleAlertsOnADeathButNotOnAStop() {
        InProcess.run(() -> {
            List<String> alerts = new ArrayList<>();
            Application.subscribe();
            try {
                Application.start("examples_stopped", () -> Supervisor.start(List.of(), SupervisorFlags.oneForOne()))
                        .orThrow();
                Application.stop("examples_stopped");
                ApplicationStopped stopped = Kernel.receive(Match.type(ApplicationStopped.class));
                if (!stopped.reason().equals(Application.STOPPED)) {
                    alerts.add(stopped.name() + " died: " + stopped.reason());
                }

                Pid top = Application.start(
                                "examples_died", () -> Supervisor.start(List.of(), SupervisorFlags.oneForOne()))
                        .orThrow();
                Kernel.exit(top, ExitReason.KILL);
                stopped = Kernel.receive(Match.type(ApplicationStopped.class));
                if (!stopped.reason().equals(Application.STOPPED)) {
                    alerts.add(stopped.name() + " died: " + stopped.reason());
                }
            } finally {
                Application.unsubscribe();
            }
            assertThat(alerts).containsExactly("examples_died died: killed");
        });
    }

    // ---- RegistryOptions ------------------------------------------------------------------------

    @Test
    void theRegistryOptionsExampleChoosesKeysAndPartitions() {
        RegistryOptions names = RegistryOptions.unique(); // one process per key
        RegistryOptions topics = RegistryOptions.duplicate().partitions(8); // many processes per key
        RegistryOptions same = new RegistryOptions(Registry.Keys.DUPLICATE, 8);

        assertThat(names.keys()).isEqualTo(Registry.Keys.UNIQUE);
        assertThat(names.partitions()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(topics).isEqualTo(same);
        assertThatThrownBy(() -> RegistryOptions.unique().partitions(0)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- TaskResult -----------------------------------------------------------------------------

    @Test
    void theTaskResultExampleGivesTheValueOrTheExit() {
        InProcess.run(() -> {
            Task<Integer> task = Task.asyncNolink(() -> 6 * 7);
            TaskResult<Integer> result = Task.yield(task, Duration.ofSeconds(1)).orElseThrow();
            String text = switch (result) {
                case TaskResult.Ok<Integer> ok -> "got " + ok.value(); // got 42
                case TaskResult.Exited<Integer> exited -> "exited " + exited.reason(); // a Crash carries the exception
            };
            int n = result.orThrow(); // 42, or ExitException

            assertThat(text).isEqualTo("got 42");
            assertThat(n).isEqualTo(42);
            TaskResult<Integer> crashed =
                    new TaskResult.Exited<>(ExitReason.crash(new ArithmeticException("/ by zero")));
            assertThatThrownBy(crashed::orThrow)
                    .isInstanceOf(ExitException.class)
                    .hasCauseInstanceOf(ArithmeticException.class);
        });
    }
}
