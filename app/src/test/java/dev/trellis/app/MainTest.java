package dev.trellis.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.bench.Regression;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void helpListsTheCommands() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("server").contains("bench");
    }

    @Test
    void anUnknownFlagIsOneLineOnStderrAndExitCode2() {
        assertThat(run("server", "--bogus")).isEqualTo(2);
        assertThat(err.toString().strip()).doesNotContain("\n").contains("--bogus");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void anUnknownCommandExits2() {
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(err.toString().strip()).doesNotContain("\n");
    }

    @Test
    void noCommandExits2() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).contains("a command is required");
    }

    @Test
    void invalidServerValuesExit2WithTheReason() {
        assertThat(run("server", "--port", "-1")).isEqualTo(2);
        assertThat(err.toString()).contains("--port must be 0..65535");
        assertThat(run("server", "--port", "abc")).isEqualTo(2);
        assertThat(run("server", "--idle-timeout", "abc")).isEqualTo(2);
        assertThat(err.toString()).contains("is not a duration");
        assertThat(run("server", "--observer", "nope")).isEqualTo(2);
        assertThat(run("server", "--max-line", "0")).isEqualTo(2);
    }

    @Test
    void benchLoadWithNoServerOnThePortExits1AtOnceSayingSo() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        assertThat(run("bench", "load", "--port", Integer.toString(port), "--seconds", "30"))
                .isEqualTo(1);
        assertThat(err.toString()).contains("cannot connect to 127.0.0.1:" + port);
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void durationsAcceptUnitsAndIso8601() {
        DurationConverter c = new DurationConverter();
        assertThat(c.convert("300s")).hasSeconds(300);
        assertThat(c.convert("5m")).hasMinutes(5);
        assertThat(c.convert("250ms")).hasMillis(250);
        assertThat(c.convert("PT1H")).hasHours(1);
    }

    @Test
    void benchMicroPrintsOneJsonObjectPerMetric() {
        assertThat(run("bench", "micro", "--only", "registry_lookup", "--json")).isZero();
        assertThat(out.toString().strip())
                .matches("\\{\"name\":\"registry_lookup\",\"value\":[0-9]+\\.[0-9]+,\"unit\":\"ns\"}");
    }

    @Test
    void benchMicroCompareReportsAgainstTheRecordedFigures(@TempDir Path dir) throws Exception {
        Path doc = dir.resolve("figures.md");
        Files.writeString(
                doc,
                Regression.MARKER + "\n```json\n"
                        + "{\"name\":\"registry_lookup\",\"value\":1000000.0,\"unit\":\"ns\"}\n```\n");
        assertThat(run("bench", "micro", "--only", "registry_lookup", "--compare", doc.toString()))
                .isZero();
        assertThat(out.toString()).contains("registry_lookup").contains("better");

        Files.writeString(
                doc,
                Regression.MARKER + "\n```json\n"
                        + "{\"name\":\"registry_lookup\",\"value\":0.001,\"unit\":\"ns\"}\n```\n");
        assertThat(run("bench", "micro", "--only", "registry_lookup", "--compare", doc.toString()))
                .isEqualTo(1);
        assertThat(out.toString()).contains("REGRESSION");
    }

    @Test
    void benchMicroCompareWithoutRecordedFiguresExits2(@TempDir Path dir) throws Exception {
        Path doc = dir.resolve("empty.md");
        Files.writeString(doc, "# nothing recorded\n");
        assertThat(run("bench", "micro", "--compare", doc.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("has no block after");
        assertThat(run("bench", "micro", "--compare", dir.resolve("missing.md").toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("cannot read");
    }

    @Test
    void benchMicroWritesTheRuntimeReportsToAFileNotTheConsole() throws Exception {
        assertThat(run("bench", "micro", "--only", "restart", "--json")).isZero();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                        "runtime log: [0-9,]+ events \\(([0-9,]+) at error level.* written to (\\S+)")
                .matcher(err.toString());
        assertThat(m.find()).as(err.toString()).isTrue();
        assertThat(Integer.parseInt(m.group(1).replace(",", ""))).isGreaterThanOrEqualTo(2_000);
        Path log = Path.of(m.group(2));
        assertThat(Files.readString(log)).contains("child_terminated");
        Files.delete(log);
        assertThat(out.toString().strip()).startsWith("{\"name\":\"restart\"");
    }

    @Test
    void anUnknownBenchmarkExits2() {
        assertThat(run("bench", "micro", "--only", "nope")).isEqualTo(2);
    }
}
