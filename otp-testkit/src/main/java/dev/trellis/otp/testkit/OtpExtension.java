package dev.trellis.otp.testkit;

import dev.trellis.otp.Clock;
import dev.trellis.otp.Down;
import dev.trellis.otp.ExitException;
import dev.trellis.otp.ExitReason;
import dev.trellis.otp.Kernel;
import dev.trellis.otp.ManualClock;
import dev.trellis.otp.Match;
import dev.trellis.otp.Pid;
import dev.trellis.otp.ProcessBody;
import dev.trellis.otp.Ref;
import dev.trellis.otp.SpawnOptions;
import dev.trellis.otp.Spawned;
import dev.trellis.otp.observe.ProcessInfo;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/// The JUnit 5 extension behind [OtpTest].
///
/// For each test it:
/// 1. records the live processes, registered names and pending timers (the baseline);
/// 2. runs the test method inside a fresh root process (on a [ManualClock] if the method takes
///    one as a parameter; every process the test spawns inherits it);
/// 3. stops what the test started with [Supervised#startSupervised], in reverse order, then ends
///    the root process with reason `shutdown`, as ExUnit ends a test process, so processes linked
///    to the test go down with it;
/// 4. waits up to [#leakGrace()] for the processes the test started to exit, then fails the test
///    if any process, name or timer outlived it, naming each one. Leaked processes are killed so
///    they cannot disturb the next test.
///
/// The test method fails if it does not finish within [#TEST_LIMIT]; use JUnit's `@Timeout` for
/// a tighter bound.
public final class OtpExtension
        implements BeforeEachCallback, AfterEachCallback, InvocationInterceptor, ParameterResolver {
    /*
     * Tests run one at a time (JUnit's default): the baseline is runtime-wide, so the leak check
     * would blame a test for processes of another test running in parallel.
     */

    /// How long leftovers may take to exit after the test before they count as leaked: 5 s, or
    /// `-Dtrellis.testkit.leakGraceMs`.
    public static Duration leakGrace() {
        return Duration.ofMillis(Long.getLong("trellis.testkit.leakGraceMs", 5000));
    }

    /// The longest a test method may run.
    public static final Duration TEST_LIMIT = Duration.ofMinutes(2);

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(OtpExtension.class);

    private record Baseline(Set<Pid> processes, Set<String> names, int timers) {}

    /// Used by JUnit.
    public OtpExtension() {}

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS)
                .put(
                        Baseline.class,
                        new Baseline(
                                new HashSet<>(Kernel.processes()),
                                Kernel.registered(),
                                Kernel.statistics().timers()));
    }

    @Override
    public void interceptTestMethod(
            Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext extensionContext)
            throws Throwable {
        runInRoot(invocation, invocationContext, extensionContext);
    }

    @Override
    public void interceptTestTemplateMethod(
            Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext extensionContext)
            throws Throwable {
        runInRoot(invocation, invocationContext, extensionContext);
    }

    private static void runInRoot(
            Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext context)
            throws Throwable {
        Clock clock = Clock.system();
        for (Object arg : invocationContext.getArguments()) {
            if (arg instanceof ManualClock manual) {
                clock = manual;
            }
        }
        AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
        Clock rootClock = clock;
        String label = "test " + context.getDisplayName();
        ProcessBody root = () -> {
            Supervised.enter(Kernel.self());
            try {
                invocation.proceed();
            } catch (Throwable t) {
                failure.set(t);
            }
            try {
                Supervised.exit(Kernel.self());
            } catch (RuntimeException t) {
                if (failure.get() == null) {
                    failure.set(t);
                }
            }
            throw new ExitException(ExitReason.SHUTDOWN);
        };
        // The watcher spawns the root itself, so it exists before any test code runs and the
        // test never sees it appear.
        CompletableFuture<Pid> rootPid = new CompletableFuture<>();
        CompletableFuture<ExitReason> exited = new CompletableFuture<>();
        Kernel.spawn(
                () -> {
                    Spawned s = Kernel.spawn(
                            root,
                            SpawnOptions.defaults().monitor().clock(rootClock).label(label));
                    rootPid.complete(s.pid());
                    Ref ref = s.ref();
                    Down down = Kernel.receive(m -> m instanceof Down d && d.ref() == ref ? d : null);
                    exited.complete(down.reason());
                },
                SpawnOptions.defaults().clock(Clock.system()).label("testkit watcher"));
        awaitExit(rootPid.join(), exited, context);
        Throwable t = failure.get();
        if (t != null) {
            throw t;
        }
    }

    /// Blocks the JUnit thread until the root has exited (and sent its exit signals).
    private static void awaitExit(Pid root, CompletableFuture<ExitReason> exited, ExtensionContext context)
            throws InterruptedException {
        try {
            exited.get(TEST_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            String where = Kernel.processInfo(root)
                    .map(i -> describe(i) + "\n" + stackOf(i))
                    .orElse(root.toString());
            Kernel.exit(root, ExitReason.KILL);
            throw new AssertionError(context.getDisplayName() + " did not finish within " + TEST_LIMIT + ": " + where);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Baseline base = context.getStore(NS).get(Baseline.class, Baseline.class);
        if (base == null) {
            return;
        }
        long deadline = System.nanoTime() + leakGrace().toNanos();
        List<Pid> leaked;
        Set<String> names;
        int timers;
        for (; ; ) {
            leaked = new ArrayList<>(Kernel.processes());
            leaked.removeAll(base.processes());
            names = new HashSet<>(Kernel.registered());
            names.removeAll(base.names());
            timers = Kernel.statistics().timers() - base.timers();
            if ((leaked.isEmpty() && names.isEmpty() && timers <= 0) || System.nanoTime() - deadline > 0) {
                break;
            }
            LockSupport.parkNanos(5_000_000);
        }
        if (leaked.isEmpty() && names.isEmpty() && timers <= 0) {
            return;
        }
        StringBuilder report = new StringBuilder(context.getDisplayName()).append(" leaked");
        if (!leaked.isEmpty()) {
            report.append(' ').append(leaked.size()).append(" process(es):");
            for (Pid pid : leaked) {
                Kernel.processInfo(pid).ifPresent(i -> report.append("\n  ").append(describe(i)));
                Kernel.exit(pid, ExitReason.KILL);
            }
        }
        if (!names.isEmpty()) {
            report.append("\n  registered names: ").append(names);
        }
        if (timers > 0) {
            report.append("\n  pending timers: ").append(timers);
        }
        throw new AssertionError(report.toString());
    }

    private static String describe(ProcessInfo i) {
        return i.pid() + " " + i.label() + (i.registeredName() == null ? "" : " registered as " + i.registeredName())
                + " " + i.status() + ", " + i.mailboxLength() + " message(s) queued"
                + (i.stack().isEmpty() ? "" : ", at " + i.stack().getFirst());
    }

    private static String stackOf(ProcessInfo i) {
        StringBuilder sb = new StringBuilder();
        for (StackTraceElement e : i.stack()) {
            sb.append("    at ").append(e).append('\n');
        }
        return sb.toString();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == ManualClock.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return extensionContext
                .getStore(NS)
                .getOrComputeIfAbsent(ManualClock.class, k -> new ManualClock(), ManualClock.class);
    }

    /// A match for the `Down` of monitor `ref`.
    static Match<Down> downOf(Ref ref) {
        return m -> m instanceof Down d && d.ref() == ref ? d : null;
    }
}
