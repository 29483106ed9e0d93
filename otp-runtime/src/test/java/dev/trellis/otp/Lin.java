package dev.trellis.otp;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.StressOptions;

/// The Lincheck settings of the runtime's linearizability tests: small scenarios (3 threads of 3
/// operations, as Lincheck recommends), few enough that each test takes seconds in the default
/// suite, ten times as many with `-Dtrellis.long=true` (ADR 0009).
final class Lin {
    private Lin() {}

    /// How much more a long run (`-Dtrellis.long=true`) checks.
    private static final int SCALE = Boolean.getBoolean("trellis.long") ? 10 : 1;

    /// Stress mode with `iterations` scenarios of `invocations` runs each (×10 in a long run):
    /// real threads, real timing; the only mode for operations that involve virtual threads
    /// (Lincheck's model checker cannot follow them).
    static StressOptions stress(int iterations, int invocations) {
        return new StressOptions()
                .iterations(iterations * SCALE)
                .invocationsPerIteration(invocations)
                .threads(3)
                .actorsPerThread(3);
    }

    /// Model checking with `iterations` scenarios of `invocations` interleavings each (×10 in a
    /// long run): Lincheck chooses the thread switches at every shared access.
    static ModelCheckingOptions modelChecking(int iterations, int invocations) {
        return new ModelCheckingOptions()
                .iterations(iterations * SCALE)
                .invocationsPerIteration(invocations)
                .threads(3)
                .actorsPerThread(3);
    }

    /// A process that runs the requests it is sent, one at a time, in arrival order: lets an
    /// operation on a Lincheck thread act as that process (registries register their caller).
    record Agent(Pid pid, CompletableFuture<ExitReason> down) {
        /// Runs `op` in the agent; `"dead"` if the agent exited before running it.
        Object call(Supplier<Object> op) {
            CompletableFuture<Object> reply = new CompletableFuture<>();
            Kernel.send(pid, new Request(op, reply));
            CompletableFuture.anyOf(reply, down).join();
            // The agent replies before it exits, so a reply not there once it is down never comes.
            return reply.isDone() ? reply.join() : "dead";
        }

        /// Makes the agent exit with `reason` after the requests sent before; returns once its
        /// exit is complete (its Down has fired: names, registry entries and tables are gone).
        void exit(ExitReason reason) {
            Kernel.send(pid, reason);
            down.join();
        }

        /// Kills the agent (cleanup between scenarios).
        void kill() {
            Kernel.exit(pid, ExitReason.KILL);
            down.join();
        }
    }

    private record Request(Supplier<Object> op, CompletableFuture<Object> reply) {}

    static Agent agent() {
        Pid pid = Kernel.spawn(
                        () -> {
                            for (; ; ) {
                                Object m = Kernel.receive();
                                if (m instanceof Request r) {
                                    r.reply().complete(r.op().get());
                                } else if (m instanceof ExitReason reason) {
                                    throw new ExitException(reason);
                                }
                            }
                        },
                        SpawnOptions.defaults().label("lincheck agent"))
                .pid();
        return new Agent(pid, downOf(pid));
    }

    /// Completes with `pid`'s exit reason once its Down has fired.
    static CompletableFuture<ExitReason> downOf(Pid pid) {
        CompletableFuture<ExitReason> down = new CompletableFuture<>();
        Kernel.spawn(
                () -> {
                    Ref ref = Kernel.monitor(pid);
                    Down d = Kernel.receive(m -> m instanceof Down x && x.ref() == ref ? x : null);
                    down.complete(d.reason());
                },
                SpawnOptions.defaults().label("lincheck watcher"));
        return down;
    }
}
