package dev.trellis.bench;

import dev.trellis.otp.ExitReason;
import dev.trellis.otp.Kernel;
import dev.trellis.otp.Match;
import dev.trellis.otp.Pid;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/// The process-core rows of DESIGN §7: `spawn`, `memory_per_process`, `ping_pong`, `many_to_one`.
///
/// Each runs a warm-up pass first and then the measured pass, from plain threads or a driver
/// process, and cleans up every process it started.
final class CoreBenchmarks {
    private CoreBenchmarks() {}

    /// `spawn`: wall time per process of spawning 1,000,000 processes that exit at once, from
    /// one spawning thread, until the last one has exited; after rounds of `n / 10` for
    /// [WarmUp].
    static Metric spawn(int n) throws InterruptedException {
        for (long end = WarmUp.deadline(); System.nanoTime() < end; ) {
            spawnMany(n / 10);
        }
        long t0 = System.nanoTime();
        spawnMany(n);
        return new Metric("spawn", (System.nanoTime() - t0) / (double) n, "ns", "≤ 600");
    }

    private static void spawnMany(int n) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            Kernel.spawn(done::countDown);
        }
        if (!done.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("spawned processes did not finish");
        }
    }

    /// `memory_per_process`: heap per idle process (parked in receive, empty mailbox), from the
    /// heap in use after a full GC with `n` of them alive versus before. Three warm-up passes
    /// first, so that the processes park from compiled code, as in a server that has run a
    /// while: the parked stack of a virtual thread holds its frames, and interpreted frames are
    /// over twice the size of compiled ones (1,790 versus 530-750 bytes per process, measured
    /// with `jcmd GC.class_histogram`).
    static Metric memoryPerProcess(int n) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            idleBytes(Math.min(n, 100_000));
        }
        return new Metric("memory_per_process", idleBytes(n), "bytes", "≤ 1,024");
    }

    private static double idleBytes(int n) throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = usedAfterGc(memory);
        CountDownLatch parked = new CountDownLatch(n);
        List<Pid> pids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            pids.add(Kernel.spawn(() -> {
                parked.countDown();
                Kernel.receive();
            }));
        }
        parked.await(5, TimeUnit.MINUTES);
        waitUntilAllWaiting(pids);
        long after = usedAfterGc(memory);
        long others = Kernel.statistics().processes() - n; // read before any of them can exit
        for (Pid p : pids) {
            Kernel.send(p, "stop");
        }
        waitForProcessCount(others);
        return (after - before) / (double) n;
    }

    /// `idle_1m_heap`: holds `n` (1,000,000) idle processes alive at once and reports the heap
    /// they take, in MiB.
    static Metric idleMillion(int n) throws InterruptedException {
        Metric m = memoryPerProcess(n);
        return new Metric("idle_1m_heap", m.value() * n / (1024.0 * 1024.0), "MiB", "≤ 2,048 for 1,000,000");
    }

    private static void waitUntilAllWaiting(List<Pid> pids) {
        for (Pid p : pids) {
            for (int spins = 0;
                    Kernel.processInfo(p)
                            .map(i -> i.status() != dev.trellis.otp.observe.ProcessStatus.WAITING)
                            .orElse(false);
                    spins++) {
                Thread.onSpinWait();
                if (spins > 1000) {
                    Thread.yield();
                }
            }
        }
    }

    private static void waitForProcessCount(long target) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (Kernel.statistics().processes() > target && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }

    private static long usedAfterGc(MemoryMXBean memory) throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            TimeUnit.MILLISECONDS.sleep(50);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private record Ping(Pid from) {}

    /// `ping_pong`: round trip of a message to an echo process and back, between two processes.
    static Metric pingPong(int rounds) throws Exception {
        pingPongRounds(rounds / 5); // warm-up
        return new Metric("ping_pong", pingPongRounds(rounds) / (double) rounds, "ns", "≤ 600");
    }

    private static long pingPongRounds(int rounds) throws Exception {
        CompletableFuture<Long> elapsed = new CompletableFuture<>();
        Kernel.spawn(() -> {
            Pid echo = Kernel.spawnLink(() -> {
                for (; ; ) {
                    Ping p = Kernel.receive(Match.type(Ping.class));
                    Kernel.send(p.from(), p);
                }
            });
            Pid self = Kernel.self();
            Ping ping = new Ping(self);
            long t0 = System.nanoTime();
            for (int i = 0; i < rounds; i++) {
                Kernel.send(echo, ping);
                Kernel.receive();
            }
            elapsed.complete(System.nanoTime() - t0);
            Kernel.unlink(echo);
            Kernel.exit(echo, ExitReason.KILL);
        });
        return elapsed.get(5, TimeUnit.MINUTES);
    }

    /// `many_to_one`: `senders` processes each sending `perSender` messages to one receiver;
    /// messages per second from the first send until the receiver has taken the last one.
    static Metric manyToOne(int senders, int perSender) throws Exception {
        manyToOneRun(senders / 10, perSender); // warm-up
        long nanos = manyToOneRun(senders, perSender);
        double rate = (double) senders * perSender / (nanos / 1e9);
        return new Metric("many_to_one", rate, "msgs/s", "≥ 10,000,000");
    }

    private static long manyToOneRun(int senders, int perSender) throws Exception {
        long total = (long) senders * perSender;
        CompletableFuture<Long> received = new CompletableFuture<>();
        CountDownLatch ready = new CountDownLatch(1);
        Pid receiver = Kernel.spawn(() -> {
            ready.countDown();
            for (long i = 0; i < total; i++) {
                Kernel.receive();
            }
            received.complete(System.nanoTime());
        });
        ready.await();
        CountDownLatch go = new CountDownLatch(1);
        Integer msg = 42;
        for (int s = 0; s < senders; s++) {
            Kernel.spawn(() -> {
                go.await();
                for (int i = 0; i < perSender; i++) {
                    Kernel.send(receiver, msg);
                }
            });
        }
        long t0 = System.nanoTime();
        go.countDown();
        return received.get(5, TimeUnit.MINUTES) - t0;
    }
}
