package dev.trellis.bench;

/// How long a benchmark whose path the JIT takes many runs to compile warms up before it
/// measures: `spawn`, `restart` and `start_child` run their rounds until [#deadline()].
///
/// A count of warm-up runs measured the compiler instead: in one JVM, rounds of 5,000 restarts
/// took 30, 13.6, 13.2, … µs and reached 4–5 µs only from the 75,000th restart on, and the first
/// round of 1,000,000 spawns after 100,000 warm-up spawns took 585–842 ns where the later rounds
/// took 315–634 ns.
final class WarmUp {
    /// Two seconds.
    static final long NANOS = 2_000_000_000L;

    private WarmUp() {}

    /// When the warm-up that starts now ends, on [System#nanoTime()]'s scale.
    static long deadline() {
        return System.nanoTime() + NANOS;
    }
}
