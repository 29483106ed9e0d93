package dev.trellis.otp;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.Validate;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/// The name table and the process table under racing register, unregister, whereis, isAlive and
/// kill from plain threads are linearizable with respect to a map from names to live processes:
/// a name maps to at most one process, a process has at most one name, a dead process has none
/// and cannot take one, and a kill returns once the process is gone (its Down has fired).
///
/// Stress mode only: kill involves the victim's virtual thread, which Lincheck's model checker
/// cannot follow (ADR 0009).
@Param(name = "name", gen = IntGen.class, conf = "0:1")
@Param(name = "proc", gen = IntGen.class, conf = "0:1")
public class NamesLinearizabilityTest {
    private static final AtomicLong INSTANCES = new AtomicLong();

    private final String[] names;
    private final Pid[] procs = new Pid[2];
    private final CompletableFuture<?>[] downs = new CompletableFuture<?>[2];

    public NamesLinearizabilityTest() {
        long n = INSTANCES.incrementAndGet();
        names = new String[] {"lin" + n + "a", "lin" + n + "b"};
        for (int i = 0; i < 2; i++) {
            procs[i] = Kernel.spawn(
                            () -> Kernel.receive(Match.none()),
                            SpawnOptions.defaults().label("lincheck"))
                    .pid();
            downs[i] = Lin.downOf(procs[i]);
        }
    }

    @Operation
    public boolean register(@Param(name = "name") int name, @Param(name = "proc") int proc) {
        try {
            Kernel.register(names[name], procs[proc]);
            return true;
        } catch (IllegalArgumentException taken) {
            return false;
        }
    }

    @Operation
    public boolean unregister(@Param(name = "name") int name) {
        return Kernel.unregister(names[name]);
    }

    @Operation
    public int whereis(@Param(name = "name") int name) {
        return Kernel.whereis(names[name]).map(p -> p.equals(procs[0]) ? 0 : 1).orElse(-1);
    }

    @Operation
    public boolean isAlive(@Param(name = "proc") int proc) {
        return Kernel.isAlive(procs[proc]);
    }

    @Operation
    public void kill(@Param(name = "proc") int proc) {
        Kernel.exit(procs[proc], ExitReason.KILL);
        downs[proc].join();
    }

    @Validate
    public void stopProcesses() {
        for (int i = 0; i < 2; i++) {
            kill(i);
        }
    }

    /// The sequential specification.
    public static final class Spec {
        private final Map<Integer, Integer> procOf = new HashMap<>();
        private final boolean[] dead = new boolean[2];

        public boolean register(int name, int proc) {
            if (dead[proc] || procOf.containsKey(name) || procOf.containsValue(proc)) {
                return false;
            }
            procOf.put(name, proc);
            return true;
        }

        public boolean unregister(int name) {
            return procOf.remove(name) != null;
        }

        public int whereis(int name) {
            @Nullable Integer p = procOf.get(name);
            return p == null ? -1 : p;
        }

        public boolean isAlive(int proc) {
            return !dead[proc];
        }

        public void kill(int proc) {
            dead[proc] = true;
            procOf.values().remove(proc);
        }
    }

    @Test
    void linearizableUnderStress() {
        Lin.stress(10, 500).sequentialSpecification(Spec.class).check(NamesLinearizabilityTest.class);
    }
}
