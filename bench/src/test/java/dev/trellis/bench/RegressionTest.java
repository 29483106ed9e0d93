package dev.trellis.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegressionTest {
    private static final String DOC = """
            # Benchmarks

            <!-- recorded figures -->
            ```json
            {"name":"ping_pong","value":1000.0,"unit":"ns"}
            {"name":"many_to_one","value":10000000.0,"unit":"msgs/s"}
            ```
            {"name":"spawn","value":1.0,"unit":"ns"}
            """;

    @Test
    void readsOnlyTheRecordedBlock() {
        assertThat(Regression.recorded(DOC)).containsOnlyKeys("ping_pong", "many_to_one");
        assertThat(Regression.recorded("# no figures")).isEmpty();
    }

    @Test
    void slowerTimesAndLowerRatesBeyondTheThresholdAreRegressions() {
        Map<String, Metric> recorded = Regression.recorded(DOC);
        List<Regression.Change> changes = Regression.compare(
                recorded,
                List.of(
                        new Metric("ping_pong", 1_300, "ns", ""),
                        new Metric("many_to_one", 7_000_000, "msgs/s", ""),
                        new Metric("spawn", 500, "ns", "")),
                25);
        assertThat(changes).extracting(Regression.Change::regressed).containsExactly(true, true, false);
        assertThat(changes.get(0).changePercent()).isCloseTo(30, org.assertj.core.data.Offset.offset(0.01));
        assertThat(changes.get(2).recorded()).isEmpty();
        assertThat(changes.get(0).human()).contains(" 30.0% worse  REGRESSION");
        assertThat(changes.get(2).human()).contains("not recorded");
    }

    @Test
    void fasterTimesAndHigherRatesAreImprovements() {
        List<Regression.Change> changes = Regression.compare(
                Regression.recorded(DOC),
                List.of(new Metric("ping_pong", 900, "ns", ""), new Metric("many_to_one", 12_000_000, "msgs/s", "")),
                25);
        assertThat(changes).noneMatch(Regression.Change::regressed);
        assertThat(changes).allMatch(c -> c.changePercent() < 0);
        assertThat(changes.get(0).human()).contains(" 10.0% better").doesNotContain("worse");
    }

    @Test
    void theDocsRecordEveryDefaultMetric() throws IOException {
        Map<String, Metric> recorded = Regression.recorded(Files.readString(Path.of("../docs/benchmarks.md")));
        assertThat(recorded)
                .containsKeys(
                        "spawn",
                        "memory_per_process",
                        "ping_pong",
                        "call_p50",
                        "call_p99",
                        "call_queued_100k",
                        "many_to_one",
                        "restart",
                        "start_child",
                        "registry_lookup",
                        "one_for_all_100k",
                        "app_stop_100k",
                        "kv_load");
    }
}
