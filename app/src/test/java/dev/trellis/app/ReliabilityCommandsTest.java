package dev.trellis.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/// `./kv soak` and `./kv fuzz` through the command line, as a user runs them.
class ReliabilityCommandsTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void aTenSecondSoakHasNoWrongReplyNoLeakNoRestartAndPrintsOneJsonObject() {
        int code = run("soak", "--seconds", "10", "--clients", "20", "--abusive", "10%", "--json");
        String json = out.toString().strip();
        assertThat(code).as(json + "\n" + err).isZero();
        assertThat(json)
                .doesNotContain("\n")
                .startsWith("{\"requests\":")
                .contains("\"wrong_replies\":0,\"leaked_processes\":0,\"restarts\":0,\"fresh_client_ok\":true")
                .contains("\"leaked_threads\":0")
                .contains("\"acceptor_alive\":true")
                .contains("\"abusive_clients\":2")
                .matches(".*\"bucket_kills\":[1-9][0-9]*.*")
                .endsWith("\"ok\":true}");
        assertThat(err.toString()).contains("soak:   1 s  requests"); // progress
    }

    @Test
    void badSoakFlagsExit2WithOneLine() {
        assertThat(run("soak", "--abusive", "120%")).isEqualTo(2);
        assertThat(err.toString().strip()).doesNotContain("\n").contains("--abusive must be a percentage");
        assertThat(run("soak", "--seconds", "0")).isEqualTo(2);
        assertThat(run("soak", "--clients", "x")).isEqualTo(2);
    }

    @Test
    void aShortFuzzRunReportsItsExecutionsAndNoFinding() {
        int code = run("fuzz", "--seconds", "1", "--target", "parse", "--json");
        assertThat(code).as(out + "\n" + err).isZero();
        assertThat(out.toString().strip())
                .matches("\\{\"executions\":[1-9][0-9]*,\"findings\":0,\"targets\":\\[\\{\"target\":\"parse\".*\\}]}");
    }

    @Test
    void badFuzzFlagsExit2WithOneLine() {
        assertThat(run("fuzz", "--target", "nope")).isEqualTo(2);
        assertThat(err.toString().strip()).doesNotContain("\n").contains("--target must be parse, connection or all");
        assertThat(run("fuzz", "--seconds", "-1")).isEqualTo(2);
    }
}
