package dev.trellis.bench;

import dev.trellis.otp.Call;
import dev.trellis.otp.ChildSpec;
import dev.trellis.otp.DynamicSupervisor;
import dev.trellis.otp.DynamicSupervisorFlags;
import dev.trellis.otp.ExitReason;
import dev.trellis.otp.GenServer;
import dev.trellis.otp.Init;
import dev.trellis.otp.Kernel;
import dev.trellis.otp.Match;
import dev.trellis.otp.Next;
import dev.trellis.otp.Pid;
import dev.trellis.otp.StartOptions;
import dev.trellis.otp.Supervisor;
import dev.trellis.otp.SupervisorFlags;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/// The behaviour rows of DESIGN §7: `call_p50`, `call_p99`, `call_queued_100k`, `restart`,
/// `start_child`. Each runs in a driver process, warms up first, and stops what it started.
/// `restart` and `start_child` warm up for a time ([WarmUp]), the others for a number of calls.
final class BehaviourBenchmarks {
    private BehaviourBenchmarks() {}

    /// A server that answers every [Ping] with its number.
    private record Echo(@Nullable Pid announceTo) implements GenServer<Ping, Integer> {
        @Override
        public Init<Integer> init() {
            if (announceTo != null) {
                Kernel.send(announceTo, new Started(Kernel.self()));
            }
            return Init.ok(0);
        }

        @Override
        public Next<Integer> handle(Ping msg, Integer n) {
            return Next.reply(msg, msg.n(), n);
        }
    }

    private record Ping(int n) implements Call<Integer> {}

    private record Started(Pid pid) {}

    private record Junk(int i) {}

    /// `call_p50` and `call_p99`: GenServer.call round trip from a client process to an echo
    /// server, each of `calls` calls timed into a histogram after `calls / 4` warm-up calls.
    static List<Metric> callLatency(int calls) throws Exception {
        Histogram h = driver(() -> {
            Pid echo = GenServer.start(new Echo(null)).orThrow();
            Histogram hist = timeCalls(echo, calls / 4, calls);
            GenServer.stop(echo);
            return hist;
        });
        return List.of(
                new Metric("call_p50", h.getValueAtPercentile(50), "ns", "≤ 1,000"),
                new Metric("call_p99", h.getValueAtPercentile(99), "ns", "≤ 5,000"));
    }

    /// `call_queued_100k`: call p50 with 100,000 unrelated messages queued at the caller.
    static Metric callQueued(int calls) throws Exception {
        Histogram h = driver(() -> {
            Pid self = Kernel.self();
            for (int i = 0; i < 100_000; i++) {
                Kernel.send(self, new Junk(i));
            }
            Pid echo = GenServer.start(new Echo(null)).orThrow();
            Histogram hist = timeCalls(echo, calls / 4, calls);
            GenServer.stop(echo);
            return hist;
        });
        return new Metric("call_queued_100k", h.getValueAtPercentile(50), "ns", "≤ 2× call_p50");
    }

    private static Histogram timeCalls(Pid echo, int warmup, int calls) {
        for (int i = 0; i < warmup; i++) {
            GenServer.call(echo, new Ping(i));
        }
        Histogram hist = new Histogram(3);
        for (int i = 0; i < calls; i++) {
            long t0 = System.nanoTime();
            GenServer.call(echo, new Ping(i));
            hist.recordValue(System.nanoTime() - t0);
        }
        return hist;
    }

    /// `restart`: a one_for_one supervisor's permanent echo child is killed; time from the kill
    /// until the restarted child has answered a call. Median of `rounds` after [WarmUp] of
    /// restarts, in microseconds. Each kill is a `child_terminated` report, as in OTP.
    static Metric restart(int rounds) throws Exception {
        Histogram h = driver(() -> {
            Pid self = Kernel.self();
            ChildSpec child = ChildSpec.worker("echo", () -> GenServer.startLink(new Echo(self)));
            Pid sup = Supervisor.start(
                            List.of(child),
                            SupervisorFlags.oneForOne().intensity(Integer.MAX_VALUE),
                            StartOptions.defaults())
                    .orThrow();
            Pid current = Kernel.receive(Match.type(Started.class)).pid();
            for (long end = WarmUp.deadline(); System.nanoTime() < end; ) {
                current = restartOnce(current);
            }
            Histogram hist = new Histogram(3);
            for (int i = 0; i < rounds; i++) {
                long t0 = System.nanoTime();
                current = restartOnce(current);
                hist.recordValue(System.nanoTime() - t0);
            }
            Supervisor.stop(sup);
            return hist;
        });
        return new Metric("restart", h.getValueAtPercentile(50) / 1000.0, "us", "≤ 10");
    }

    /// Kills `child` and returns the restarted one once it has answered a call.
    private static Pid restartOnce(Pid child) {
        Kernel.exit(child, ExitReason.KILL);
        Pid restarted = Kernel.receive(Match.type(Started.class)).pid();
        GenServer.call(restarted, new Ping(0));
        return restarted;
    }

    /// `start_child`: DynamicSupervisor.startChild of an echo server, returning the started
    /// child; mean over `n` starts into a fresh supervisor (its children accumulate, as buckets
    /// do), after rounds of the same for [WarmUp], in microseconds.
    static Metric startChild(int n) throws Exception {
        double micros = driver(() -> {
            ChildSpec spec = ChildSpec.worker("echo", () -> GenServer.startLink(new Echo(null)))
                    .restart(ChildSpec.Restart.TEMPORARY);
            for (long end = WarmUp.deadline(); System.nanoTime() < end; ) {
                startChildren(spec, n);
            }
            return startChildren(spec, n);
        });
        return new Metric("start_child", micros, "us", "≤ 4");
    }

    /// Starts `n` children into a fresh supervisor, stops it; the mean start in microseconds.
    private static double startChildren(ChildSpec spec, int n) {
        Pid sup = DynamicSupervisor.start(DynamicSupervisorFlags.defaults(), StartOptions.defaults())
                .orThrow();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            DynamicSupervisor.startChild(sup, spec);
        }
        double micros = (System.nanoTime() - t0) / 1000.0 / n;
        DynamicSupervisor.stop(sup);
        return micros;
    }

    @FunctionalInterface
    interface Body<T> {
        T run() throws Exception;
    }

    /// Runs `body` in a fresh driver process and returns its result.
    static <T> T driver(Body<T> body) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Kernel.spawn(() -> {
            try {
                result.complete(body.run());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result.get(5, TimeUnit.MINUTES);
    }
}
