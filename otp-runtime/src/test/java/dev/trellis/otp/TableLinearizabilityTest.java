package dev.trellis.otp;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/// A public [Table] under concurrent insert, insertNew, lookup and delete from plain threads is
/// linearizable with respect to a map (Lincheck: stress and model checking), and the checker
/// rejects a table whose insertNew is a lookup then an insert.
///
/// `size` and `entries` are left out: they are weakly consistent (ConcurrentHashMap's), as the
/// Javadoc says.
@Param(name = "key", gen = IntGen.class, conf = "1:3")
@Param(name = "value", gen = IntGen.class, conf = "1:3")
public class TableLinearizabilityTest {
    /// One table for every scenario, owned by a process that lives as long as the JVM; each test
    /// instance (one per scenario) empties it first. Made on first use, not in a static
    /// initializer: the owner's body is a lambda of this class, which it could not run while the
    /// class is still being initialized.
    private static @Nullable Table<Integer, Integer> table;

    static synchronized Table<Integer, Integer> table() {
        Table<Integer, Integer> t = table;
        if (t == null) {
            t = publicTable();
            table = t;
        }
        for (Map.Entry<Integer, Integer> e : t.entries()) {
            t.delete(e.getKey());
        }
        return t;
    }

    private static Table<Integer, Integer> publicTable() {
        CompletableFuture<Table<Integer, Integer>> made = new CompletableFuture<>();
        Kernel.spawn(
                () -> {
                    made.complete(Table.create("lincheck", Table.Access.PUBLIC));
                    Kernel.receive(Match.none());
                },
                SpawnOptions.defaults().label("lincheck table owner"));
        return made.join();
    }

    private final Table<Integer, Integer> t = table();

    @Operation
    public void insert(@Param(name = "key") int key, @Param(name = "value") int value) {
        t.insert(key, value);
    }

    @Operation
    public boolean insertNew(@Param(name = "key") int key, @Param(name = "value") int value) {
        return t.insertNew(key, value);
    }

    @Operation
    public @Nullable Integer lookup(@Param(name = "key") int key) {
        return t.lookup(key).orElse(null);
    }

    @Operation
    public boolean contains(@Param(name = "key") int key) {
        return t.contains(key);
    }

    @Operation
    public boolean delete(@Param(name = "key") int key) {
        return t.delete(key);
    }

    @Operation
    public boolean deleteObject(@Param(name = "key") int key, @Param(name = "value") int value) {
        return t.delete(key, value);
    }

    /// The sequential specification: ETS set semantics over a HashMap.
    public static final class Spec {
        private final Map<Integer, Integer> map = new HashMap<>();

        public void insert(int key, int value) {
            map.put(key, value);
        }

        public boolean insertNew(int key, int value) {
            return map.putIfAbsent(key, value) == null;
        }

        public @Nullable Integer lookup(int key) {
            return map.get(key);
        }

        public boolean contains(int key) {
            return map.containsKey(key);
        }

        public boolean delete(int key) {
            return map.remove(key) != null;
        }

        public boolean deleteObject(int key, int value) {
            return map.remove(key, value);
        }
    }

    /// The planted bug: insertNew as a lookup, then an insert.
    @Param(name = "key", gen = IntGen.class, conf = "1:2")
    public static final class CheckThenAct {
        private final Table<Integer, Integer> t = table();

        @Operation
        public boolean insertNew(@Param(name = "key") int key, @Param(name = "key") int value) {
            if (t.lookup(key).isPresent()) {
                return false;
            }
            t.insert(key, value);
            return true;
        }

        @Operation
        public @Nullable Integer lookup(@Param(name = "key") int key) {
            return t.lookup(key).orElse(null);
        }
    }

    /// The sequential specification of [CheckThenAct].
    public static final class CheckThenActSpec {
        private final Map<Integer, Integer> map = new HashMap<>();

        public boolean insertNew(int key, int value) {
            return map.putIfAbsent(key, value) == null;
        }

        public @Nullable Integer lookup(int key) {
            return map.get(key);
        }
    }

    @Test
    void linearizableUnderStress() {
        Lin.stress(5, 1_000).sequentialSpecification(Spec.class).check(TableLinearizabilityTest.class);
    }

    @Test
    void linearizableUnderModelChecking() {
        Lin.modelChecking(2, 100).sequentialSpecification(Spec.class).check(TableLinearizabilityTest.class);
    }

    @Test
    void theCheckerRejectsACheckThenActInsertNew() {
        assertThatThrownBy(() -> Lin.modelChecking(10, 100)
                        .minimizeFailedScenario(false)
                        .sequentialSpecification(CheckThenActSpec.class)
                        .check(CheckThenAct.class))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Invalid execution results");
    }
}
