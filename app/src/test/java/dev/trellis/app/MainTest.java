package dev.trellis.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

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
                .matches("\\{\"name\":\"registry_lookup\",\"value\":[0-9]+\\.[0-9],\"unit\":\"ns\"}");
    }

    @Test
    void anUnknownBenchmarkExits2() {
        assertThat(run("bench", "micro", "--only", "nope")).isEqualTo(2);
    }
}
