package dev.trellis.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/// The fuzzing session finds a planted bug, keeps its input, and says so.
class FuzzSessionTest {
    @Test
    void aPlantedBugIsFoundReportedAndItsInputKept() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        FuzzSession.Result r = FuzzSession.runClass(
                PlantedBugTarget.class.getName(), "planted", 60, new PrintStream(log, true, StandardCharsets.UTF_8));
        assertThat(r.failed()).as(log.toString(StandardCharsets.UTF_8)).isTrue();
        assertThat(r.executions()).isPositive();
        assertThat(new String(Files.readAllBytes(r.finding()), StandardCharsets.ISO_8859_1))
                .startsWith("PUT zz");
        assertThat(FuzzSession.human(List.of(r)))
                .contains("FINDING: " + r.finding())
                .endsWith("fuzz: 1 finding");
        assertThat(FuzzSession.json(List.of(r))).startsWith("{\"executions\":").contains("\"findings\":1");
        try (Stream<Path> files = Files.list(r.finding().getParent())) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(r.finding().getParent());
    }
}
