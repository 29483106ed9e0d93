package dev.trellis.otp.internal;

import dev.trellis.otp.Pid;
import dev.trellis.otp.observe.ProcessSummary;
import dev.trellis.otp.observe.RuntimeEvent;
import dev.trellis.otp.observe.Subscription;
import dev.trellis.otp.observe.SupervisionCounts;
import dev.trellis.otp.observe.SupervisorSnapshot;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/// How `dev.trellis.otp.observe` reads the process table, the supervisors' publications and the
/// event feed, which are package-private to `dev.trellis.otp` (the JDK's `SharedSecrets`
/// pattern: the owning package installs the implementation, the reading package asks for it).
public final class RuntimeAccess {
    /*
     * The implementation is dev.trellis.otp.Introspection, which installs itself from its static
     * initializer. get() initializes it by name the first time, so the order in which classes are
     * loaded does not matter. Nothing here is API: tools use ObserverBackend.
     */
    private static final String IMPLEMENTATION = "dev.trellis.otp.Introspection";
    private static volatile @Nullable Introspector installed;

    private RuntimeAccess() {}

    /// What the runtime offers to `dev.trellis.otp.observe`.
    public interface Introspector {
        /// Every live process, in no particular order.
        List<ProcessSummary> processes();

        /// One live process.
        Optional<ProcessSummary> summary(Pid pid);

        /// The live process numbered `serial`.
        Optional<Pid> find(long serial);

        /// Every live supervisor, in pid order, with at most `childLimit` children each.
        List<SupervisorSnapshot> supervisors(int childLimit);

        /// One live supervisor, with at most `childLimit` children.
        Optional<SupervisorSnapshot> supervisor(Pid pid, int childLimit);

        /// Changes whenever any supervisor publishes, starts or exits.
        long supervisionVersion();

        /// Restart and intensity counters.
        SupervisionCounts supervisionCounts();

        /// Adds `listener` to the event feed; closing the result removes it.
        Subscription subscribe(Consumer<? super RuntimeEvent> listener);

        /// The most recent events, oldest first.
        List<RuntimeEvent> recentEvents();
    }

    /// Called once by the implementation.
    public static void install(Introspector introspector) {
        installed = introspector;
    }

    /// The installed implementation.
    public static Introspector get() {
        Introspector i = installed;
        if (i != null) {
            return i;
        }
        try {
            Class.forName(IMPLEMENTATION, true, RuntimeAccess.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the runtime's introspection is missing", e);
        }
        i = installed;
        if (i == null) {
            throw new IllegalStateException(IMPLEMENTATION + " did not install itself");
        }
        return i;
    }
}
