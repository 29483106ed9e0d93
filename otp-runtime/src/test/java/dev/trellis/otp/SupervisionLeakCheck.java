package dev.trellis.otp;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/// Fails a test that leaves processes, registered names or timers behind.
final class SupervisionLeakCheck implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SupervisionLeakCheck.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NS);
        store.put("processes", new HashSet<>(Kernel.processes()));
        store.put("names", Set.copyOf(Kernel.registered()));
        store.put("timers", TimerRef.pending());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NS);
        @SuppressWarnings("unchecked")
        Set<Pid> before = (Set<Pid>) store.get("processes", Set.class);
        @SuppressWarnings("unchecked")
        Set<String> names = (Set<String>) store.get("names", Set.class);
        int timers = store.get("timers", Integer.class);
        Awaitility.await("no processes, names or timers left behind")
                .atMost(Duration.ofSeconds(5))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(5))
                .until(() -> leftovers(before).isEmpty()
                        && names.containsAll(Kernel.registered())
                        && TimerRef.pending() <= timers);
    }

    private static List<Pid> leftovers(Set<Pid> before) {
        return Kernel.processes().stream().filter(p -> !before.contains(p)).toList();
    }
}
