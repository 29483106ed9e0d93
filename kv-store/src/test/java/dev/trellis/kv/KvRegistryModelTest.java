package dev.trellis.kv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.otp.Down;
import dev.trellis.otp.ExitException;
import dev.trellis.otp.ExitReason;
import dev.trellis.otp.Kernel;
import dev.trellis.otp.ManualClock;
import dev.trellis.otp.Match;
import dev.trellis.otp.Pid;
import dev.trellis.otp.Ref;
import dev.trellis.otp.Supervisor;
import dev.trellis.otp.testkit.ModelCheck;
import dev.trellis.otp.testkit.OtpTest;
import dev.trellis.otp.testkit.StateMachine;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/// The KV tree against a model (a map of names to maps) under random creates, lookups, puts,
/// gets, deletes, bucket kills and registry kills, on a manual clock.
///
/// The model predicts which bucket a name denotes (buckets are numbered in creation order, as
/// the model numbers them), every value, that a killed bucket's name is gone, that a registry
/// kill restarts the one_for_all tree empty, and that a fourth registry kill within 5 s (the
/// KvSupervisor's restart intensity, 3 in 5 s) ends the whole tree.
@OtpTest
class KvRegistryModelTest {
    private static final AtomicInteger TREES = new AtomicInteger();
    private static final String[] NAMES = {"a", "b", "c", "d"};
    private static final String[] KEYS = {"k1", "k2", "k3"};

    sealed interface Cmd {}

    record Create(String name) implements Cmd {}

    record Lookup(String name) implements Cmd {}

    record Put(String name, String key, String value) implements Cmd {}

    record Get(String name, String key) implements Cmd {}

    record Delete(String name, String key) implements Cmd {}

    record KillBucket(String name) implements Cmd {}

    record KillRegistry() implements Cmd {}

    record Advance(int seconds) implements Cmd {}

    // Outcomes.
    record Created(int bucket) {}

    record Found(int bucket) {}

    record Value(Optional<String> value) {}

    record NotFound() {}

    record TreeDown() {}

    /// The model: buckets by name (number, contents), the restart window, whether the tree is up.
    static final class Model {
        final Map<String, Integer> numbers = new HashMap<>();
        final Map<String, Map<String, String>> contents = new HashMap<>();
        final ArrayDeque<Long> restarts = new ArrayDeque<>();
        int created;
        long now;
        boolean down;

        @Override
        public String toString() {
            return "Model[buckets " + contents + ", restarts " + restarts + (down ? ", down" : "") + "]";
        }
    }

    /// The real tree: its names, the supervisor holder, the numbers given to bucket pids.
    record Tree(KvConfig config, Pid holder, Pid top, Map<Pid, Integer> numbers) {
        int number(Pid bucket) {
            return numbers.computeIfAbsent(bucket, b -> numbers.size());
        }
    }

    record TreeMachine(ManualClock clock) implements StateMachine<Model, Tree, Cmd> {
        @Override
        public Model model(SplittableRandom random) {
            return new Model();
        }

        @Override
        public Tree start(Model model) {
            KvConfig config = KvConfig.unique("model" + TREES.incrementAndGet());
            Pid test = Kernel.self();
            // The holder traps exits, so the tree giving up does not take the test down with it.
            Pid holder = Kernel.spawn(() -> {
                Kernel.trapExit(true);
                Kernel.send(test, KvSupervisor.startLink(config).orThrow());
                Kernel.receive(Match.equalTo("stop"));
            });
            Pid top = Kernel.receive(Match.type(Pid.class));
            return new Tree(config, holder, top, new HashMap<>());
        }

        @Override
        public void stop(Tree tree) {
            if (Kernel.isAlive(tree.top())) {
                Supervisor.stop(tree.top());
            }
            Ref ref = Kernel.monitor(tree.holder());
            Kernel.send(tree.holder(), "stop");
            Kernel.receive(m -> m instanceof Down d && d.ref() == ref ? d : null);
        }

        @Override
        public Cmd command(Model model, SplittableRandom random) {
            String name = NAMES[random.nextInt(NAMES.length)];
            String key = KEYS[random.nextInt(KEYS.length)];
            int roll = random.nextInt(100);
            if (roll < 20) {
                return new Create(name);
            } else if (roll < 30) {
                return new Lookup(name);
            } else if (roll < 50) {
                return new Put(name, key, Integer.toString(random.nextInt(1, 100)));
            } else if (roll < 70) {
                return new Get(name, key);
            } else if (roll < 80) {
                return new Delete(name, key);
            } else if (roll < 90 && !model.numbers.isEmpty()) {
                List<String> names = List.copyOf(model.numbers.keySet());
                return new KillBucket(names.get(random.nextInt(names.size())));
            } else if (roll < 94 && !model.down) {
                return new KillRegistry();
            }
            return new Advance(random.nextInt(1, 4));
        }

        @Override
        public boolean precondition(Model model, Cmd command) {
            return switch (command) {
                case KillBucket k -> model.numbers.containsKey(k.name());
                case KillRegistry k -> !model.down;
                default -> true;
            };
        }

        @Override
        public Object expect(Model model, Cmd command) {
            return switch (command) {
                case Create c -> {
                    if (model.down) {
                        yield new TreeDown();
                    }
                    Integer n = model.numbers.get(c.name());
                    if (n == null) {
                        n = model.created++;
                        model.numbers.put(c.name(), n);
                        model.contents.put(c.name(), new HashMap<>());
                    }
                    yield new Created(n);
                }
                case Lookup l -> {
                    Integer n = model.numbers.get(l.name());
                    yield n == null ? new NotFound() : new Found(n);
                }
                case Put p -> {
                    Map<String, String> bucket = model.contents.get(p.name());
                    if (bucket == null) {
                        yield new NotFound();
                    }
                    bucket.put(p.key(), p.value());
                    yield "ok";
                }
                case Get g -> {
                    Map<String, String> bucket = model.contents.get(g.name());
                    yield bucket == null ? new NotFound() : new Value(Optional.ofNullable(bucket.get(g.key())));
                }
                case Delete d -> {
                    Map<String, String> bucket = model.contents.get(d.name());
                    yield bucket == null ? new NotFound() : new Value(Optional.ofNullable(bucket.remove(d.key())));
                }
                case KillBucket k -> {
                    model.numbers.remove(k.name());
                    model.contents.remove(k.name());
                    yield "killed";
                }
                case KillRegistry k -> {
                    // One one_for_all restart; a fourth within 5 s ends the tree (3 in 5 s).
                    model.numbers.clear();
                    model.contents.clear();
                    model.restarts.addLast(model.now);
                    while (model.restarts.getFirst()
                            < model.now - Duration.ofSeconds(5).toNanos()) {
                        model.restarts.removeFirst();
                    }
                    model.down = model.restarts.size() > 3;
                    yield model.down ? new TreeDown() : "restarted";
                }
                case Advance a -> {
                    model.now += Duration.ofSeconds(a.seconds()).toNanos();
                    yield "advanced";
                }
            };
        }

        @Override
        public Object run(Tree tree, Cmd command) {
            String registry = tree.config().registry();
            return switch (command) {
                case Create c -> {
                    try {
                        yield new Created(tree.number(
                                KvRegistry.create(registry, c.name()).bucket()));
                    } catch (ExitException e) {
                        yield new TreeDown();
                    }
                }
                case Lookup l ->
                    KvRegistry.lookup(registry, l.name())
                            .<Object>map(b -> new Found(tree.number(b)))
                            .orElse(new NotFound());
                case Put p ->
                    KvRegistry.lookup(registry, p.name())
                            .<Object>map(b -> {
                                Bucket.put(b, p.key(), p.value());
                                return "ok";
                            })
                            .orElse(new NotFound());
                case Get g ->
                    KvRegistry.lookup(registry, g.name())
                            .<Object>map(b -> new Value(Bucket.get(b, g.key())))
                            .orElse(new NotFound());
                case Delete d ->
                    KvRegistry.lookup(registry, d.name())
                            .<Object>map(b -> new Value(Bucket.delete(b, d.key())))
                            .orElse(new NotFound());
                case KillBucket k -> {
                    Pid bucket = KvRegistry.lookup(registry, k.name()).orElseThrow();
                    killAndAwait(bucket);
                    // The registry handles the bucket's Down on its own time: wait for it.
                    Awaitility.await()
                            .pollDelay(Duration.ZERO)
                            .pollInterval(Duration.ofMillis(1))
                            .atMost(Duration.ofSeconds(10))
                            .until(() -> KvRegistry.lookup(registry, k.name()).isEmpty());
                    yield "killed";
                }
                case KillRegistry k -> {
                    killAndAwait(Kernel.whereis(registry).orElseThrow());
                    // The supervisor had the registry's exit signal before we had its Down, so
                    // this call is answered once the tree has restarted (or it has given up).
                    try {
                        Supervisor.whichChildren(tree.top());
                        yield "restarted";
                    } catch (ExitException e) {
                        yield new TreeDown();
                    }
                }
                case Advance a -> {
                    clock.advance(Duration.ofSeconds(a.seconds()));
                    yield "advanced";
                }
            };
        }

        private static void killAndAwait(Pid pid) {
            Ref ref = Kernel.monitor(pid);
            Kernel.exit(pid, ExitReason.KILL);
            Kernel.receive(m -> m instanceof Down d && d.ref() == ref ? d : null);
        }

        @Override
        public List<Cmd> shrink(Cmd command) {
            return switch (command) {
                case Put p when !p.value().equals("1") -> List.of(new Put(p.name(), p.key(), "1"));
                case Advance a when a.seconds() > 1 -> List.of(new Advance(1));
                default -> List.of();
            };
        }
    }

    @Test
    void theTreeAgreesWithAMapModel(ManualClock clock) {
        ModelCheck.of(new TreeMachine(clock)).seeds(100).length(100).check();
    }

    @Test
    void aFourthRegistryKillWithinFiveSecondsEndsTheTree(ManualClock clock) {
        TreeMachine m = new TreeMachine(clock);
        Tree tree = m.start(m.model(new SplittableRandom(0)));
        try {
            for (int i = 0; i < 3; i++) {
                assertThat(m.run(tree, new KillRegistry())).isEqualTo("restarted");
            }
            m.run(tree, new Advance(5)); // the first three restarts are now exactly 5 s old: still counted
            assertThat(m.run(tree, new KillRegistry())).isEqualTo(new TreeDown());
            assertThat(Kernel.isAlive(tree.top())).isFalse();
        } finally {
            m.stop(tree);
        }
    }
}
