package dev.trellis.otp.testkit;

import dev.trellis.otp.ChildSpec;
import dev.trellis.otp.ExitReason;
import dev.trellis.otp.Kernel;
import dev.trellis.otp.Pid;
import dev.trellis.otp.StartOptions;
import dev.trellis.otp.Supervisor;
import dev.trellis.otp.SupervisorFlags;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/// ExUnit's `start_supervised`: start a process for one test under a supervisor that the test
/// owns, so it is stopped — in reverse start order, and before the leak check — when the test
/// ends, whatever the outcome.
///
/// ## Examples
///
/// ```java
/// @OtpTest
/// class RegistryTest {
///     @Test
///     void spawnsBuckets() {
///         Pid top = Supervised.startSupervised(KvSupervisor.childSpec(KvConfig.unique("t1")));
///         …
///     }
/// }
/// ```
///
/// ## Outcomes
///
/// - The child started: its pid. It keeps its restart type; the test supervisor is
///   `one_for_one` and never gives up (as ExUnit's).
/// - The child did not start (or its id is taken): the test fails with the reason.
/// - Called outside an [OtpTest] test's own process: [IllegalStateException].
public final class Supervised {
    /*
     * One supervisor per running test, keyed by the test's root process. It is started lazily on
     * the first startSupervised, linked to the root; OtpExtension stops it right after the test
     * body returns, before the root exits and before the leak check.
     */
    private static final ConcurrentHashMap<Pid, Pid> SUPERVISORS = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<Pid, Boolean> ROOTS = new ConcurrentHashMap<>();

    private Supervised() {}

    /// Starts `spec` under the test's supervisor and returns the child's pid.
    public static Pid startSupervised(ChildSpec spec) {
        Pid sup = supervisor();
        return switch (Supervisor.startChild(sup, spec)) {
            case Supervisor.Started s -> s.pid();
            case Supervisor.Ignored i -> throw new AssertionError("startSupervised(" + spec.id() + ") was ignored");
            case Supervisor.Failed f ->
                throw new AssertionError("startSupervised(" + spec.id() + ") failed: " + f.reason());
            case Supervisor.AlreadyStarted a ->
                throw new AssertionError("startSupervised: a child with id " + spec.id() + " is already running");
            case Supervisor.AlreadyPresent a ->
                throw new AssertionError("startSupervised: a child with id " + spec.id() + " is already present");
        };
    }

    /// Stops the child started with `id` and forgets it (ExUnit's `stop_supervised`); `false` if
    /// there was none.
    public static boolean stopSupervised(Object id) {
        Pid sup = SUPERVISORS.get(root());
        if (sup == null) {
            return false;
        }
        boolean found = Supervisor.terminateChild(sup, id) instanceof Supervisor.Terminated;
        Supervisor.deleteChild(sup, id);
        return found;
    }

    static void enter(Pid root) {
        ROOTS.put(root, Boolean.TRUE);
    }

    /// Stops the test's supervisor, if it started one; called by the root at the end of the test.
    static void exit(Pid root) {
        ROOTS.remove(root);
        Pid sup = SUPERVISORS.remove(root);
        if (sup != null) {
            Kernel.unlink(sup); // its shutdown must not travel back over the link to the test
            Supervisor.stop(sup, ExitReason.SHUTDOWN, Duration.ofMinutes(1));
        }
    }

    private static Pid supervisor() {
        return SUPERVISORS.computeIfAbsent(
                root(),
                r -> Supervisor.startLink(
                                java.util.List.of(),
                                SupervisorFlags.oneForOne().intensity(1_000_000),
                                StartOptions.defaults().label("test supervisor"))
                        .orThrow());
    }

    private static Pid root() {
        if (!Kernel.inProcess() || !ROOTS.containsKey(Kernel.self())) {
            throw new IllegalStateException("startSupervised must be called from the process of an @OtpTest test");
        }
        return Kernel.self();
    }
}
