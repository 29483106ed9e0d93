/// Benchmarks of DESIGN §7: [dev.trellis.bench.MicroBench] behind `./kv bench micro`, and JMH
/// benchmarks (`SelectiveReceiveBenchmark`).
@NullMarked
package dev.trellis.bench;

import org.jspecify.annotations.NullMarked;
