package dev.trellis.reliability;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/// `./kv fuzz`: a bounded, coverage-guided fuzzing session of [FuzzTargets] with Jazzer (libFuzzer
/// on the JVM), one target after the other.
///
/// Each target runs in a child JVM (`com.code_intelligence.jazzer.Jazzer` on this JVM's class
/// path) for its share of the time, starting from the protocol's example lines; new inputs that
/// reach new code are kept in a temporary corpus. A finding — an input that breaks a property —
/// stops that target and is written to `findings/` (the input as `crash-<sha1>`, and a Java
/// reproducer) in the working directory.
///
/// ## Examples
///
/// ```java
/// FuzzSession.Result r = FuzzSession.run(List.of(FuzzSession.PARSE), 30, System.err);
/// r.findings(); // 0
/// ```
///
/// ## Outcomes
///
/// One [Result] per target: executions, whether it found something, where the input went.
public final class FuzzSession {
    /*
     * Why a child JVM: libFuzzer owns the process it runs in (it installs signal handlers, and
     * exits the process when it finds something or its time is up), so the CLI that reports the
     * session must not be that process. The child's stderr is libFuzzer's log, relayed as
     * progress; its last "#N" status line, or "Done N runs", gives the executions.
     */
    /// The parser target.
    public static final String PARSE = "parse";

    /// The connection-loop target.
    public static final String CONNECTION = "connection";

    /// Every target, in the order `./kv fuzz` runs them.
    public static final List<String> TARGETS = List.of(PARSE, CONNECTION);

    private static final Pattern STATUS = Pattern.compile("^#(\\d+)\\s");
    private static final Pattern DONE = Pattern.compile("^Done (\\d+) runs in (\\d+) second");
    private static final List<String> SEEDS = List.of(
            "CREATE shopping\n",
            "PUT shopping milk 1\r\n",
            "GET shopping milk\n",
            "DELETE shopping milk\n",
            "GET missing key\n",
            "PUT\tb\u000bk\fv\r\n",
            "put b k v\n",
            "PUT b k two words\n",
            "CREATE \u00e3\u0080\u0080b\u00c2\u00a0c\n",
            "\n");

    private FuzzSession() {}

    /// The outcome of fuzzing one target.
    ///
    /// @param target the target's name
    /// @param executions inputs run
    /// @param seconds how long it fuzzed (libFuzzer's count, without the JVM's start)
    /// @param finding the file holding the input that broke a property, if one did
    /// @param exitCode the fuzzer's exit code (0: ran out of time without a finding)
    public record Result(String target, long executions, double seconds, Path finding, int exitCode) {
        /// Whether this target found something (or its fuzzer failed).
        public boolean failed() {
            return exitCode != 0;
        }
    }

    /// Fuzzes each of `targets` for `seconds` split evenly between them (at least 1 s each),
    /// relaying the fuzzer's log to `log`.
    public static List<Result> run(List<String> targets, int seconds, PrintStream log)
            throws IOException, InterruptedException {
        int each = Math.max(1, seconds / targets.size());
        List<Result> results = new ArrayList<>();
        for (String target : targets) {
            results.add(runClass(className(target), target, each, log));
        }
        return results;
    }

    /// The Jazzer entry class of `target`.
    static String className(String target) {
        return switch (target) {
            case PARSE -> ParseTarget.class.getName();
            case CONNECTION -> ConnectionTarget.class.getName();
            default -> throw new IllegalArgumentException("unknown fuzz target " + target + "; targets: " + TARGETS);
        };
    }

    /// Fuzzes the class `targetClass` (with a static `fuzzerTestOneInput(byte[])`) for `seconds`.
    static Result runClass(String targetClass, String name, int seconds, PrintStream log)
            throws IOException, InterruptedException {
        Path corpus = Files.createTempDirectory("trellis-fuzz-" + name);
        for (int i = 0; i < SEEDS.size(); i++) {
            Files.write(corpus.resolve("seed-" + i), SEEDS.get(i).getBytes(StandardCharsets.ISO_8859_1));
        }
        Path findings = Paths.get("findings").toAbsolutePath();
        Files.createDirectories(findings);
        List<String> command = List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+EnableDynamicAgentLoading",
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                classPath(),
                "com.code_intelligence.jazzer.Jazzer",
                "--target_class=" + targetClass,
                "--instrumentation_includes=dev.trellis.**", // coverage of our code, not the JDK's
                "--reproducer_path=" + findings,
                "-artifact_prefix=" + findings + "/",
                "-max_total_time=" + seconds,
                "-print_final_stats=1",
                corpus.toString());
        long started = System.nanoTime();
        Process fuzzer = new ProcessBuilder(command).redirectErrorStream(true).start();
        long executions = 0;
        double fuzzed = -1;
        Path finding = Path.of("");
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(fuzzer.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                Matcher status = STATUS.matcher(line);
                Matcher done = DONE.matcher(line);
                if (status.find()) {
                    executions = Long.parseLong(status.group(1));
                } else if (done.find()) {
                    executions = Long.parseLong(done.group(1));
                    fuzzed = Long.parseLong(done.group(2));
                }
                if (line.contains("Test unit written to ")) {
                    finding = Path.of(line.substring(line.indexOf("Test unit written to ") + 21)
                            .strip());
                }
                if (!line.startsWith("INFO: Loaded") && !line.startsWith("WARNING:")) {
                    log.println("  [" + name + "] " + line);
                }
            }
        }
        int exit = fuzzer.waitFor();
        double elapsed = fuzzed > 0 ? fuzzed : (System.nanoTime() - started) / 1e9;
        deleteTree(corpus);
        try (Stream<Path> left = Files.list(findings)) {
            if (left.findAny().isEmpty()) {
                Files.delete(findings);
            }
        }
        return new Result(name, executions, elapsed, finding, exit);
    }

    /// This JVM's class path with absolute entries, so the child finds it from any directory.
    private static String classPath() {
        return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(p -> Paths.get(p).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /// One line per target and a total, for people.
    public static String human(List<Result> results) {
        StringBuilder sb = new StringBuilder();
        long findings = 0;
        for (Result r : results) {
            sb.append(String.format(
                    Locale.ROOT,
                    "%-10s %,d executions in %.0f s (%,.0f/s), %s%n",
                    r.target(),
                    r.executions(),
                    r.seconds(),
                    r.executions() / Math.max(r.seconds(), 1e-9),
                    !r.failed()
                            ? "no finding"
                            : r.finding().toString().isEmpty()
                                    ? "fuzzer failed (exit " + r.exitCode() + ")"
                                    : "FINDING: " + r.finding()));
            findings += r.failed() ? 1 : 0;
        }
        return sb.append("fuzz: ")
                .append(findings)
                .append(findings == 1 ? " finding" : " findings")
                .toString();
    }

    /// One JSON object: `{"executions", "findings", "targets": [...]}`.
    public static String json(List<Result> results) {
        String targets = results.stream()
                .map(r -> String.format(
                        Locale.ROOT,
                        "{\"target\":\"%s\",\"executions\":%d,\"seconds\":%.1f,\"finding\":%s}",
                        r.target(),
                        r.executions(),
                        r.seconds(),
                        r.failed() ? "\"" + r.finding().toString().replace("\\", "\\\\") + "\"" : "null"))
                .collect(Collectors.joining(","));
        long executions = results.stream().mapToLong(Result::executions).sum();
        long findings = results.stream().filter(Result::failed).count();
        return "{\"executions\":" + executions + ",\"findings\":" + findings + ",\"targets\":[" + targets + "]}";
    }
}
