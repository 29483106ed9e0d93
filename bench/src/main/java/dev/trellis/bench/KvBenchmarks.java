package dev.trellis.bench;

import dev.trellis.kv.Kv;
import dev.trellis.kv.KvConfig;
import dev.trellis.kv.KvRegistry;
import dev.trellis.kv.KvSupervisor;
import dev.trellis.kv.server.KvServer;
import dev.trellis.kv.server.ServerConfig;
import dev.trellis.otp.Down;
import dev.trellis.otp.ExitException;
import dev.trellis.otp.ExitReason;
import dev.trellis.otp.Kernel;
import dev.trellis.otp.Pid;
import dev.trellis.otp.Ref;
import dev.trellis.otp.Supervisor;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/// The KV rows of DESIGN §7: `registry_lookup`, `one_for_all_100k`, `app_stop_100k` (and its
/// 25k/50k/100k scale series) and `kv_load`. Each starts a KV tree of its own and stops it.
final class KvBenchmarks {
    private static final AtomicInteger TREES = new AtomicInteger();

    private KvBenchmarks() {}

    /// `registry_lookup`: [KvRegistry#lookup] of one of 1,000 existing buckets from a client
    /// process (a read of the registry's table, no message); mean of `lookups`, in nanoseconds.
    static Metric registryLookup(int lookups) throws Exception {
        double nanos = BehaviourBenchmarks.driver(() -> {
            KvConfig config = KvConfig.unique("bench_lookup_" + TREES.incrementAndGet());
            Pid sup = KvSupervisor.startLink(config).orThrow();
            String[] names = new String[1_000];
            for (int i = 0; i < names.length; i++) {
                names[i] = "bucket" + i;
                KvRegistry.create(config.registry(), names[i]);
            }
            int found = lookupRounds(config.registry(), names, lookups / 4); // warm-up
            long t0 = System.nanoTime();
            found += lookupRounds(config.registry(), names, lookups);
            double result = (System.nanoTime() - t0) / (double) lookups;
            if (found != lookups + lookups / 4) {
                throw new IllegalStateException("lookups missed buckets: " + found);
            }
            stopTree(sup);
            return result;
        });
        return new Metric("registry_lookup", nanos, "ns", "≤ 100");
    }

    private static int lookupRounds(String registry, String[] names, int lookups) {
        int found = 0;
        for (int i = 0; i < lookups; i++) {
            if (KvRegistry.lookup(registry, names[i % names.length]).isPresent()) {
                found++;
            }
        }
        return found;
    }

    /// `one_for_all_100k`: the bucket supervisor holding `buckets` buckets is killed; time until
    /// the restarted tree has created a bucket through a new registry, in milliseconds. A run
    /// with a tenth of the buckets warms up first: the first kill ever taken through the receive
    /// path recompiles it, and every process parked in the old code deoptimizes when it wakes.
    static Metric oneForAll(int buckets) throws Exception {
        oneForAllMillis(buckets / 10);
        return new Metric("one_for_all_100k", oneForAllMillis(buckets), "ms", "≤ 100");
    }

    private static double oneForAllMillis(int buckets) throws Exception {
        return BehaviourBenchmarks.driver(() -> {
            KvConfig config = KvConfig.unique("bench_one_for_all_" + TREES.incrementAndGet());
            Pid sup = KvSupervisor.startLink(config).orThrow();
            fill(config, buckets);
            Pid bucketSupervisor = Kernel.whereis(config.bucketSupervisor()).orElseThrow();
            Pid oldRegistry = Kernel.whereis(config.registry()).orElseThrow();
            Ref registryDown = Kernel.monitor(oldRegistry);
            long t0 = System.nanoTime();
            Kernel.exit(bucketSupervisor, ExitReason.KILL);
            Kernel.receive(m -> m instanceof Down d && d.ref() == registryDown ? d : null);
            for (; ; ) {
                Optional<Pid> registry = Kernel.whereis(config.registry());
                if (registry.isPresent() && !registry.get().equals(oldRegistry)) {
                    try {
                        if (KvRegistry.create(config.registry(), "after") instanceof KvRegistry.Created) {
                            break;
                        }
                    } catch (ExitException restarting) {
                        // the new registry went down with a second restart; look again
                    }
                }
                Thread.yield();
            }
            double result = (System.nanoTime() - t0) / 1e6;
            stopTree(sup);
            return result;
        });
    }

    /// `app_stop_<n>`: [Kv#stop] of the KV application holding `buckets` buckets, in seconds,
    /// after a warm-up stop with a tenth of them.
    static Metric appStop(int buckets, String name) throws Exception {
        appStopSeconds(buckets / 10);
        return new Metric(name, appStopSeconds(buckets), "s", "≤ 1 for 100,000");
    }

    private static double appStopSeconds(int buckets) throws Exception {
        return BehaviourBenchmarks.driver(() -> {
            KvConfig config = KvConfig.unique("bench_app_" + TREES.incrementAndGet());
            Kv.start(config).orThrow();
            fill(config, buckets);
            long t0 = System.nanoTime();
            if (!Kv.stop()) {
                throw new IllegalStateException("the kv application was not running");
            }
            return (System.nanoTime() - t0) / 1e9;
        });
    }

    /// `app_stop_25k`, `app_stop_50k`, `app_stop_100k`: the stop time should grow linearly.
    static List<Metric> appStopScale() throws Exception {
        List<Metric> all = new ArrayList<>();
        for (int k : new int[] {25, 50, 100}) {
            all.add(appStop(k * 1_000, "app_stop_" + k + "k"));
        }
        return all;
    }

    /// `kv_load`: the load generator (`clients` connections, PUT/GET alternating, `seconds`)
    /// against a KV server started in this JVM on a free loopback port, in operations per second.
    /// `./kv bench load` against `./kv server` measures the same across two JVMs.
    static Metric kvLoad(int clients, int seconds) throws Exception {
        String suffix = "bench_load_" + TREES.incrementAndGet();
        KvConfig kv = KvConfig.unique(suffix);
        ServerConfig server = ServerConfig.defaults(kv).port(0).name(suffix);
        Pid top = startServer(kv, server);
        try {
            InetSocketAddress at = KvServer.address(server).orElseThrow();
            PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
            LoadGenerator.run(at, clients, 2, 50, quiet); // warm-up
            LoadGenerator.Result r = LoadGenerator.run(at, clients, seconds, 50, quiet);
            if (r.errors() > 0) {
                throw new IllegalStateException(r.errors() + " errors under load");
            }
            return new Metric("kv_load", r.opsPerSec(), "ops/s", "≥ 90,000");
        } finally {
            BehaviourBenchmarks.driver(() -> {
                Supervisor.stop(top);
                return top;
            });
        }
    }

    /// Starts a KV tree and a TCP server on it (unlinked, so [Supervisor#stop(Pid)] stops both).
    static Pid startServer(KvConfig kv, ServerConfig server) throws Exception {
        return BehaviourBenchmarks.driver(() -> Supervisor.start(
                        List.of(KvSupervisor.childSpec(kv), KvServer.childSpec(server)),
                        dev.trellis.otp.SupervisorFlags.oneForOne())
                .orThrow());
    }

    private static void fill(KvConfig config, int buckets) {
        for (int i = 0; i < buckets; i++) {
            if (!(KvRegistry.create(config.registry(), "b" + i) instanceof KvRegistry.Created)) {
                throw new IllegalStateException("bucket " + i + " was not created");
            }
        }
    }

    private static void stopTree(Pid sup) {
        Kernel.unlink(sup);
        Supervisor.stop(sup);
    }
}
