package dev.trellis.otp.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/// The runner itself: it passes a correct system, finds and shrinks a planted bug, replays a
/// seed exactly, and reports exceptions.
class ModelCheckTest {

    sealed interface Cmd {}

    record Put(int key, int value) implements Cmd {}

    record Get(int key) implements Cmd {}

    record Remove(int key) implements Cmd {}

    /// A map that silently drops a put of a value >= 50 once it holds 3 keys: the planted bug.
    static final class LeakyMap extends HashMap<Integer, Integer> {
        @Override
        public @Nullable Integer put(Integer key, Integer value) {
            return size() >= 3 && value >= 50 ? get(key) : super.put(key, value);
        }
    }

    /// Puts, gets and removes (of present keys only) against a map, modelled by a HashMap.
    record MapMachine(Supplier<Map<Integer, Integer>> real, int throwOnGet)
            implements StateMachine<Map<Integer, Integer>, Map<Integer, Integer>, Cmd> {
        @Override
        public Map<Integer, Integer> model(SplittableRandom random) {
            return new HashMap<>();
        }

        @Override
        public Map<Integer, Integer> start(Map<Integer, Integer> model) {
            return real.get();
        }

        @Override
        public Cmd command(Map<Integer, Integer> model, SplittableRandom random) {
            int roll = random.nextInt(10);
            if (roll < 2 && !model.isEmpty()) {
                List<Integer> keys = List.copyOf(model.keySet());
                return new Remove(keys.get(random.nextInt(keys.size())));
            }
            return roll < 7 ? new Put(random.nextInt(10), random.nextInt(100)) : new Get(random.nextInt(10));
        }

        @Override
        public boolean precondition(Map<Integer, Integer> model, Cmd command) {
            return !(command instanceof Remove r) || model.containsKey(r.key());
        }

        @Override
        public Object expect(Map<Integer, Integer> model, Cmd command) {
            return switch (command) {
                case Put p -> Optional.ofNullable(model.put(p.key(), p.value()));
                case Get g -> Optional.ofNullable(model.get(g.key()));
                case Remove r -> Optional.ofNullable(model.remove(r.key()));
            };
        }

        @Override
        public Object run(Map<Integer, Integer> map, Cmd command) {
            return switch (command) {
                case Put p -> Optional.ofNullable(map.put(p.key(), p.value()));
                case Get g -> {
                    if (g.key() == throwOnGet) {
                        throw new IllegalStateException("get of " + throwOnGet);
                    }
                    yield Optional.ofNullable(map.get(g.key()));
                }
                case Remove r -> Optional.ofNullable(map.remove(r.key()));
            };
        }

        @Override
        public List<Cmd> shrink(Cmd command) {
            return switch (command) {
                case Put p -> {
                    List<Cmd> out = new ArrayList<>();
                    Shrink.toward(p.value(), 0).forEach(v -> out.add(new Put(p.key(), v)));
                    Shrink.toward(p.key(), 0).forEach(k -> out.add(new Put(k, p.value())));
                    yield out;
                }
                case Get g ->
                    Shrink.toward(g.key(), 0).stream()
                            .map(k -> (Cmd) new Get(k))
                            .toList();
                case Remove r -> List.of();
            };
        }
    }

    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    @Test
    void aCorrectSystemPassesEverySeed() {
        ModelCheck.of(new MapMachine(HashMap::new, -1))
                .seeds(100)
                .length(100)
                .log(QUIET)
                .check();
    }

    @Test
    void aPlantedBugIsFoundAndShrunkToTheFiveCommandsThatShowIt() {
        ModelCheck.Failure<Cmd> f = ModelCheck.of(new MapMachine(LeakyMap::new, -1))
                .seeds(100)
                .length(100)
                .log(QUIET)
                .find()
                .orElseThrow();
        List<Cmd> cmds = f.commands();
        assertThat(cmds).hasSize(5);
        assertThat(cmds.subList(0, 3))
                .allSatisfy(c -> assertThat(c)
                        .isInstanceOfSatisfying(
                                Put.class, p -> assertThat(p.value()).isZero()));
        assertThat(cmds.subList(0, 3).stream().map(c -> ((Put) c).key()).distinct())
                .hasSize(3);
        Put leaked = (Put) cmds.get(3);
        assertThat(leaked.value()).isEqualTo(50); // the smallest value that shows the bug
        assertThat(cmds.get(4)).isEqualTo(new Get(leaked.key()));
        assertThat(f.report())
                .contains("seed 0x" + Long.toHexString(f.seed()))
                .contains("shrunk to 5 commands")
                .contains("5. Get[key=" + leaked.key() + "]  expected Optional[50], got");
        assertThat(f.generated()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void aReportedSeedReplaysTheSameFailure() {
        MapMachine leaky = new MapMachine(LeakyMap::new, -1);
        ModelCheck.Failure<Cmd> f =
                ModelCheck.of(leaky).seeds(100).log(QUIET).find().orElseThrow();
        ModelCheck.Failure<Cmd> again =
                ModelCheck.of(leaky).seed(f.seed()).seeds(1).log(QUIET).find().orElseThrow();
        assertThat(again.seed()).isEqualTo(f.seed());
        assertThat(again.generated()).isEqualTo(f.generated());
        assertThat(again.commands()).isEqualTo(f.commands());
    }

    @Test
    void theSeedPropertyRunsOnlyThatSeed() {
        MapMachine leaky = new MapMachine(LeakyMap::new, -1);
        long failing =
                ModelCheck.of(leaky).seeds(100).log(QUIET).find().orElseThrow().seed();
        System.setProperty("trellis.seed", "0x" + Long.toHexString(failing));
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ModelCheck.Failure<Cmd> f = ModelCheck.of(leaky)
                    .seed(failing + 1) // overridden by the property
                    .log(new PrintStream(out, true, StandardCharsets.UTF_8))
                    .find()
                    .orElseThrow();
            assertThat(f.seed()).isEqualTo(failing);
            String hex = "0x" + Long.toHexString(failing);
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("seeds " + hex + ".." + hex);
        } finally {
            System.clearProperty("trellis.seed");
        }
    }

    @Test
    void everyShrunkCommandMeetsItsPrecondition() {
        MapMachine leaky = new MapMachine(LeakyMap::new, -1);
        for (long seed = 0; seed < 20; seed++) {
            Optional<ModelCheck.Failure<Cmd>> f =
                    ModelCheck.of(leaky).seed(seed).seeds(1).log(QUIET).find();
            if (f.isEmpty()) {
                continue;
            }
            Map<Integer, Integer> model = new HashMap<>();
            for (Cmd c : f.get().commands()) {
                assertThat(leaky.precondition(model, c))
                        .as("%s in %s", c, model)
                        .isTrue();
                leaky.expect(model, c);
            }
        }
    }

    @Test
    void anExceptionFromTheSystemIsAFailureOfThatCommand() {
        ModelCheck.Failure<Cmd> f =
                ModelCheck.of(new MapMachine(HashMap::new, 7)).log(QUIET).find().orElseThrow();
        assertThat(f.commands()).containsExactly(new Get(7));
        assertThat(f.thrown()).isInstanceOf(IllegalStateException.class).hasMessage("get of 7");
        assertThat(f.report()).contains("1. Get[key=7]  expected Optional.empty, threw");
    }

    @Test
    void checkThrowsTheReportAndPrintsTheSeeds() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThatThrownBy(() -> ModelCheck.of(new MapMachine(LeakyMap::new, -1))
                        .seed(40)
                        .seeds(60)
                        .log(new PrintStream(out, true, StandardCharsets.UTF_8))
                        .check())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("model check failed: seed 0x")
                .hasMessageContaining("-Dtrellis.seed=");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("model check MapMachine: seeds 0x28..0x63 x 100");
    }

    @Test
    void reportsEscapeWhatIsNotPrintableAscii() {
        assertThat(ModelCheck.printable("OK\r\n\u00ff\u0000\u3000 x")).isEqualTo("OK\\r\\n\\xFF\\x00\\u3000 x");
    }

    @Test
    void shrinkTowardHalvesTheDistance() {
        assertThat(Shrink.toward(87, 0)).containsExactly(0, 44, 66, 77, 82, 85, 86);
        assertThat(Shrink.toward(3, 5)).containsExactly(5, 4);
        assertThat(Shrink.toward(0, 0)).isEmpty();
        assertThat(Shrink.shorter("abcd")).containsExactly("", "ab", "abc");
    }
}
