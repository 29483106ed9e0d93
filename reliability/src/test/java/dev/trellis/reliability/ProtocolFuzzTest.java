package dev.trellis.reliability;

import com.code_intelligence.jazzer.junit.FuzzTest;

/// Jazzer fuzz tests of the protocol. In `./kv test` (Jazzer's regression mode) each runs once on
/// every input of its corpus, `src/test/resources/dev/trellis/reliability/ProtocolFuzzTestInputs/`
/// (seeds and every input that ever broke a property); with `JAZZER_FUZZ=1` they fuzz for
/// `maxDuration`. `./kv fuzz` runs the same targets from the command line.
class ProtocolFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void parse(byte[] line) {
        FuzzTargets.parse(line);
    }

    @FuzzTest(maxDuration = "30s")
    void connection(byte[] input) {
        FuzzTargets.connection(input);
    }
}
