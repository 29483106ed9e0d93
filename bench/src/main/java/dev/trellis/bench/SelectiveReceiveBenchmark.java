package dev.trellis.bench;

import dev.trellis.otp.Kernel;
import dev.trellis.otp.Match;
import dev.trellis.otp.Pid;
import dev.trellis.otp.Ref;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/// Selective receive of a reply with `queued` unrelated messages waiting in the receiver's
/// mailbox: with the receive marker (a fresh reference), the time must not grow with `queued`;
/// without it (a plain pattern), it grows linearly. Run with
/// `java -jar bench/target/benchmarks.jar SelectiveReceive`.
///
/// The benchmark thread drives a process that owns the crowded mailbox: each operation asks it to
/// make a reference, send itself a reply carrying it, and receive that reply.
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SelectiveReceiveBenchmark {

    /// Unrelated messages queued at the receiver.
    @Param({"0", "100000"})
    public int queued;

    /// Whether the receive uses the marker of a fresh reference.
    @Param({"true", "false"})
    public boolean marker;

    private record Reply(Ref ref) {}

    private record Junk(int i) {}

    private final BlockingQueue<Boolean> go = new SynchronousQueue<>();
    private final BlockingQueue<Long> done = new SynchronousQueue<>();

    /// Starts the receiver and fills its mailbox.
    @Setup(Level.Trial)
    public void setup() throws InterruptedException {
        Kernel.spawn(() -> {
            Pid self = Kernel.self();
            for (int i = 0; i < queued; i++) {
                Kernel.send(self, new Junk(i));
            }
            for (; ; ) {
                if (!go.take()) {
                    return;
                }
                Ref ref = Kernel.makeRef();
                Kernel.send(self, new Reply(ref));
                Match<Reply> mine = m -> m instanceof Reply r && r.ref() == ref ? r : null;
                Reply r = marker
                        ? Kernel.receive(ref, mine, Duration.ofSeconds(5)).orElseThrow()
                        : Kernel.receive(mine, Duration.ofSeconds(5)).orElseThrow();
                done.put(r.ref() == ref ? 1L : 0L);
            }
        });
    }

    /// One reference, one reply, one selective receive.
    @Benchmark
    public long receiveReply() throws InterruptedException {
        go.put(Boolean.TRUE);
        return done.take();
    }

    /// Stops the receiver.
    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        go.put(Boolean.FALSE);
    }
}
