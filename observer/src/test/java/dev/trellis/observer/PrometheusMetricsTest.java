package dev.trellis.observer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trellis.otp.ExitReason;
import dev.trellis.otp.Kernel;
import dev.trellis.otp.Pid;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/// `/metrics` parses as Prometheus text, has the required families, and its labels are bounded.
class PrometheusMetricsTest {
    static Observer observer;
    static Http http;

    @BeforeAll
    static void start() throws IOException {
        DemoTree.start();
        observer = Observer.start(ObserverConfig.defaults().port(0));
        http = new Http(observer);
    }

    @AfterAll
    static void stop() {
        observer.close();
        DemoTree.stop();
    }

    private static PrometheusText scrape() {
        HttpResponse<String> r = http.get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue(PrometheusMetrics.CONTENT_TYPE);
        return PrometheusText.parse(r.body());
    }

    @Test
    void theRequiredFamiliesAreThereWithTheirTypes() {
        PrometheusText m = scrape();
        assertThat(m.types)
                .containsEntry("otp_processes", "gauge")
                .containsEntry("otp_process_spawns_total", "counter")
                .containsEntry("otp_process_exits_total", "counter")
                .containsEntry("otp_supervisor_restarts_total", "counter")
                .containsEntry("otp_messages_total", "counter");
        assertThat(m.value("otp_processes")).isPositive();
        assertThat(m.value("otp_process_spawns_total")).isGreaterThanOrEqualTo(m.value("otp_processes"));
        assertThat(m.value("otp_messages_total")).isPositive();
        for (String kind : new String[] {"normal", "shutdown", "killed", "noproc", "noconnection", "crash", "other"}) {
            assertThat(m.value("otp_process_exits_total", "reason", kind)).isNotNegative();
        }
        assertThat(m.value("otp_supervisor_restarts_total", "supervisor", "demo_sup"))
                .isNotNegative();
        assertThat(m.value("otp_supervisor_children", "supervisor", "demo_sup")).isEqualTo(2);
        assertThat(m.value("otp_supervisor_restarts_left", "supervisor", "demo_workers"))
                .isEqualTo(3);
    }

    @Test
    void aRestartCountsUnderTheSupervisorsNameAndAnExitUnderItsKind() {
        PrometheusText before = scrape();
        Pid counter = DemoTree.whereis("demo_counter");
        Kernel.exit(counter, ExitReason.KILL);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> scrape().value("otp_supervisor_restarts_total", "supervisor", "demo_sup")
                        > before.value("otp_supervisor_restarts_total", "supervisor", "demo_sup"));
        PrometheusText after = scrape();
        assertThat(after.value("otp_process_exits_total", "reason", "killed"))
                .isGreaterThan(before.value("otp_process_exits_total", "reason", "killed"));
        assertThat(after.value("otp_restarts_total")).isGreaterThan(before.value("otp_restarts_total"));
    }

    @Test
    void noLabelIsAPid() {
        Pattern pid = Pattern.compile("<?0\\.\\d+\\.0>?");
        assertThat(scrape().samples.values())
                .allSatisfy(s -> assertThat(s.labels().values())
                        .noneMatch(v -> pid.matcher(v).find()));
    }

    @Test
    void theParserRejectsWhatIsNotPrometheusText() {
        for (String bad : new String[] {
            "otp_x 1\n", // no TYPE
            "# TYPE a counter\na 1\n", // counter without _total
            "# TYPE a gauge\na{x=\"1\"} one\n",
            "# TYPE a gauge\na{x=1} 1\n",
            "# TYPE a gauge\na 1\na 2\n",
            "# TYPE a gauge\na 1"
        }) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> PrometheusText.parse(bad))
                    .isInstanceOf(AssertionError.class);
        }
    }
}
