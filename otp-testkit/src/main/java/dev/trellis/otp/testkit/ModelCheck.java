package dev.trellis.otp.testkit;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/// A seeded model-based test runner: generates command sequences from seeds, runs each against a
/// real system and a model ([StateMachine]), and on a mismatch shrinks the sequence to a small
/// one that still fails and reports it with its seed, so it can be replayed.
///
/// ## Examples
///
/// ```java
/// @Test
/// void theRegistryAgreesWithAMap() {
///     ModelCheck.of(new RegistryMachine()).seeds(100).length(50).check();
/// }
///
/// @Test
/// void aSeedThatOnceFailed() { // a regression test: this seed found a bug, now fixed
///     ModelCheck.of(new RegistryMachine()).seed(0x5eedL).seeds(1).check();
/// }
/// ```
///
/// A failure reads:
///
/// ```
/// model check failed: seed 0x1f (replay: .seed(0x1fL).seeds(1), or -Dtrellis.seed=0x1f)
/// initial model: Model[...]
/// failed at command 57 of 57 generated; shrunk to 3 commands in 41 runs:
///   1. Create[name=a]   -> Created[bucket=0]
///   2. KillRegistry[]   -> Restarted[]
///   3. Lookup[name=a]   expected NotFound[], got Found[bucket=0]
/// ```
///
/// ## Options
///
/// | option | default | meaning |
/// |---|---|---|
/// | [#seeds(int)] | 100 | sequences to try; ×10 with `-Dtrellis.long=true` |
/// | [#length(int)] | 100 | commands per sequence |
/// | [#seed(long)] | 0 | the first seed; seeds are `first, first+1, …`; random with `-Dtrellis.long=true` |
/// | [#shrinkRuns(int)] | 2,000 | replays shrinking may spend |
///
/// `-Dtrellis.seed=N` (decimal or `0x` hex) runs that one seed only, in every model check of the
/// JVM: the way to replay a failure reported by CI.
///
/// ## Shrinking
///
/// Delta debugging over the commands up to the failing one: drop halves, then quarters, …, then
/// single commands, keeping any smaller sequence that still fails (with every command's
/// [StateMachine#precondition(Object, Object)] holding); then replace single commands by the
/// simpler variants of [StateMachine#shrink(Object)]; repeated until nothing changes or the run
/// budget is spent. A replay that fails differently still counts as failing (as in QuickCheck).
///
/// ## Outcomes
///
/// - [#check()] returns normally when every seed passes, and prints one line naming the seeds.
/// - On a failure it throws [AssertionError] with the report above; [#find()] returns it instead
///   (for tests of a machine itself). An exception from [StateMachine#run(Object, Object)] is a
///   failure of that command; one from `start` or `stop` propagates, naming the seed.
public final class ModelCheck<M, S, C> {
    /*
     * Determinism: a seed gives two independent streams, split from SplittableRandom(seed): one
     * for StateMachine.model (replayed identically on every run of the seed), one for commands
     * (used only while generating). Shrinking replays explicit command lists, never the
     * generator, so a shrunk sequence is replayed exactly whatever the generator would do.
     */

    /// Whether `-Dtrellis.long=true` asks for long runs (more seeds, a random first seed).
    public static boolean longRun() {
        return Boolean.getBoolean("trellis.long");
    }

    private final StateMachine<M, S, C> machine;
    private int seeds = 100;
    private int length = 100;
    private long first;
    private boolean firstGiven;
    private int shrinkRuns = 2_000;
    private PrintStream log = System.out;

    private ModelCheck(StateMachine<M, S, C> machine) {
        this.machine = Objects.requireNonNull(machine, "machine");
    }

    /// A check of `machine` with the default options.
    public static <M, S, C> ModelCheck<M, S, C> of(StateMachine<M, S, C> machine) {
        return new ModelCheck<>(machine);
    }

    /// Tries `count` sequences (×10 in a long run).
    public ModelCheck<M, S, C> seeds(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("seeds must be positive: " + count);
        }
        this.seeds = count;
        return this;
    }

    /// Generates `commands` commands per sequence.
    public ModelCheck<M, S, C> length(int commands) {
        if (commands < 1) {
            throw new IllegalArgumentException("length must be positive: " + commands);
        }
        this.length = commands;
        return this;
    }

    /// Starts at seed `first` (also in a long run): seeds `first, first + 1, …`.
    public ModelCheck<M, S, C> seed(long firstSeed) {
        this.first = firstSeed;
        this.firstGiven = true;
        return this;
    }

    /// Spends at most `runs` replays on shrinking.
    public ModelCheck<M, S, C> shrinkRuns(int runs) {
        this.shrinkRuns = runs;
        return this;
    }

    /// Prints the summary line to `out` instead of standard output.
    public ModelCheck<M, S, C> log(PrintStream out) {
        this.log = Objects.requireNonNull(out, "out");
        return this;
    }

    /// A failing sequence, shrunk.
    ///
    /// @param seed the seed that generated it
    /// @param generated how many commands ran before the failure, in the generated sequence
    /// @param commands the shrunk sequence; its last command is the one that failed
    /// @param shrinkRuns the replays shrinking took
    /// @param report the whole report: seed, replay hint, each step with its outcome
    /// @param thrown what the failing command threw, if it threw
    public record Failure<C>(
            long seed,
            int generated,
            List<C> commands,
            int shrinkRuns,
            String report,
            @Nullable Throwable thrown) {}

    /// Runs every seed; throws [AssertionError] with the shrunk failing sequence if one fails.
    public void check() {
        Optional<Failure<C>> failure = find();
        if (failure.isPresent()) {
            throw new AssertionError(failure.get().report(), failure.get().thrown());
        }
    }

    /// Runs every seed; the first failure, shrunk, if any.
    public Optional<Failure<C>> find() {
        String only = System.getProperty("trellis.seed");
        long start;
        int count;
        if (only != null && !only.isBlank()) {
            start = Long.decode(only.strip());
            count = 1;
        } else if (longRun()) {
            start = firstGiven ? first : new SplittableRandom().nextLong() >>> 1;
            count = seeds * 10;
        } else {
            start = first;
            count = seeds;
        }
        String name = machine.getClass().getSimpleName();
        log.printf(
                Locale.ROOT,
                "model check %s: seeds %s..%s x %d commands%n",
                name,
                hex(start),
                hex(start + count - 1),
                length);
        for (int i = 0; i < count; i++) {
            Optional<Failure<C>> f = runSeed(start + i);
            if (f.isPresent()) {
                log.println(f.get().report());
                return f;
            }
        }
        return Optional.empty();
    }

    // ---- one seed -------------------------------------------------------------------------

    /// One step's outcome: what the model expected and what the system did (or threw).
    private record Step(
            Object expected,
            @Nullable Object actual,
            @Nullable Throwable thrown) {
        boolean failed() {
            return thrown != null || !Objects.equals(expected, actual);
        }
    }

    /// A replay's result: the steps that ran; none if a precondition did not hold.
    private record Replay(List<Step> steps) {
        boolean failed() {
            return !steps.isEmpty() && steps.getLast().failed();
        }
    }

    private Optional<Failure<C>> runSeed(long seed) {
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom config = root.split();
        SplittableRandom commands = root.split();
        M model = machine.model(config);
        List<C> generated = new ArrayList<>();
        boolean failed = false;
        S system = start(model, seed);
        try {
            for (int i = 0; i < length && !failed; i++) {
                C command = machine.command(model, commands);
                generated.add(command);
                failed = step(model, system, command).failed();
            }
        } finally {
            stop(system, seed);
        }
        if (!failed) {
            return Optional.empty();
        }
        return Optional.of(shrink(seed, generated));
    }

    private Failure<C> shrink(long seed, List<C> generated) {
        int[] runs = {0};
        List<C> best = generated;
        Replay bestReplay = replay(seed, best);
        if (!bestReplay.failed()) {
            return failure(seed, generated.size(), generated, 0, bestReplay, false);
        }
        boolean progress = true;
        while (progress && runs[0] < shrinkRuns) {
            progress = false;
            for (int size = best.size() / 2; size >= 1 && runs[0] < shrinkRuns; size /= 2) {
                int from = 0;
                while (from + size <= best.size() && runs[0] < shrinkRuns) {
                    List<C> candidate = new ArrayList<>(best.subList(0, from));
                    candidate.addAll(best.subList(from + size, best.size()));
                    Replay r = tryReplay(seed, candidate, runs);
                    if (r != null && r.failed()) {
                        best = candidate.subList(0, r.steps().size());
                        bestReplay = r;
                        progress = true;
                    } else {
                        from += size;
                    }
                }
            }
            for (int i = 0; i < best.size() && runs[0] < shrinkRuns; i++) {
                for (C simpler : machine.shrink(best.get(i))) {
                    List<C> candidate = new ArrayList<>(best);
                    candidate.set(i, simpler);
                    Replay r = tryReplay(seed, candidate, runs);
                    if (r != null && r.failed()) {
                        best = candidate.subList(0, r.steps().size());
                        bestReplay = r;
                        progress = true;
                        i--; // shrink the new command further
                        break;
                    }
                    if (runs[0] >= shrinkRuns) {
                        break;
                    }
                }
            }
        }
        return failure(seed, generated.size(), List.copyOf(best), runs[0], bestReplay, true);
    }

    private @Nullable Replay tryReplay(long seed, List<C> commands, int[] runs) {
        if (commands.isEmpty()) {
            return null;
        }
        runs[0]++;
        return replay(seed, commands);
    }

    /// Runs `commands` on a fresh model and system, stopping at the first failing step; no steps
    /// if a precondition did not hold.
    private Replay replay(long seed, List<C> commands) {
        SplittableRandom root = new SplittableRandom(seed);
        M model = machine.model(root.split());
        List<Step> steps = new ArrayList<>();
        S system = start(model, seed);
        try {
            for (C command : commands) {
                if (!machine.precondition(model, command)) {
                    return new Replay(List.of());
                }
                Step s = step(model, system, command);
                steps.add(s);
                if (s.failed()) {
                    break;
                }
            }
        } finally {
            stop(system, seed);
        }
        return new Replay(steps);
    }

    private Step step(M model, S system, C command) {
        Object expected = machine.expect(model, command);
        try {
            return new Step(expected, machine.run(system, command), null);
        } catch (Exception e) {
            return new Step(expected, null, e);
        }
    }

    private S start(M model, long seed) {
        try {
            return machine.start(model);
        } catch (Exception e) {
            throw new IllegalStateException("model check: start failed for seed " + hex(seed), e);
        }
    }

    private void stop(S system, long seed) {
        try {
            machine.stop(system);
        } catch (Exception e) {
            throw new IllegalStateException("model check: stop failed for seed " + hex(seed), e);
        }
    }

    // ---- the report ---------------------------------------------------------------------

    private Failure<C> failure(long seed, int generated, List<C> commands, int runs, Replay replay, boolean shrunk) {
        StringBuilder sb = new StringBuilder();
        sb.append("model check failed: seed ")
                .append(hex(seed))
                .append(" (replay: .seed(")
                .append(hex(seed))
                .append("L).seeds(1), or -Dtrellis.seed=")
                .append(hex(seed))
                .append(")\n")
                .append("initial model: ")
                .append(printable(machine.model(new SplittableRandom(seed).split())))
                .append('\n');
        if (!replay.failed()) {
            sb.append("the failure did not reproduce on replay (a race?); the ")
                    .append(generated)
                    .append(" generated commands:\n");
            for (int i = 0; i < commands.size(); i++) {
                sb.append("  ")
                        .append(i + 1)
                        .append(". ")
                        .append(commands.get(i))
                        .append('\n');
            }
            return new Failure<>(seed, generated, commands, runs, sb.toString(), null);
        }
        sb.append("failed at command ")
                .append(generated)
                .append(" generated; ")
                .append(shrunk ? "shrunk to " + commands.size() + " commands in " + runs + " runs" : "not shrunk")
                .append(":\n");
        List<Step> steps = replay.steps();
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            sb.append("  ").append(i + 1).append(". ").append(printable(commands.get(i)));
            if (!s.failed()) {
                sb.append("  -> ").append(printable(s.expected()));
            } else if (s.thrown() != null) {
                sb.append("  expected ")
                        .append(printable(s.expected()))
                        .append(", threw ")
                        .append(s.thrown());
            } else {
                sb.append("  expected ")
                        .append(printable(s.expected()))
                        .append(", got ")
                        .append(printable(s.actual()));
            }
            sb.append('\n');
        }
        return new Failure<>(
                seed, generated, commands, runs, sb.toString(), steps.getLast().thrown());
    }

    /// `o` as text with every character outside printable ASCII escaped (`\r`, `\n`, `\t`, `\xFF`
    /// up to U+00FF, a Java Unicode escape above), so a report of byte strings stays on its lines.
    static String printable(@Nullable Object o) {
        String s = String.valueOf(o);
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\r' -> sb.append("\\r");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c >= 0x20 && c < 0x7f) {
                        sb.append(c);
                    } else if (c <= 0xff) {
                        sb.append(String.format(Locale.ROOT, "\\x%02X", (int) c));
                    } else {
                        sb.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
                    }
                }
            }
        }
        return sb.toString();
    }

    private static String hex(long seed) {
        return "0x" + Long.toHexString(seed);
    }
}
