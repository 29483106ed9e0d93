package dev.trellis.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/// `./kv bench micro [--json] [--only name,…]`: the runtime micro-benchmarks of DESIGN §7, one
/// figure per metric, printed as aligned text or as one JSON object per line.
///
/// | name | measures | size |
/// |---|---|---|
/// | `spawn` | spawn + exit of one process, from one spawner, until all have exited | 1,000,000 after 2 s of rounds |
/// | `memory_per_process` | heap per idle process parked in receive (after full GCs) | 100,000 alive |
/// | `ping_pong` | one message to an echo process and back | 1,000,000 rounds |
/// | `many_to_one` | 1,000 senders × 1,000 messages to one receiver | 1,000,000 messages |
/// | `call` → `call_p50`, `call_p99` | GenServer.call round trip to an echo server, per call | 200,000 calls |
/// | `call_queued_100k` | call p50 with 100,000 unrelated messages queued at the caller | 50,000 calls |
/// | `restart` | kill of a supervised child → the restarted child has answered a call (median) | 10,000 restarts after
/// 2 s of them |
/// | `start_child` | DynamicSupervisor.startChild returning the started child (mean) | 20,000 starts after 2 s of
/// rounds |
/// | `registry_lookup` | KvRegistry.lookup from a client process (mean) | 10,000,000 lookups |
/// | `one_for_all_100k` | kill of the bucket supervisor → a new registry has created a bucket | 100,000 buckets |
/// | `app_stop_100k` | stop of the KV application | 100,000 buckets |
/// | `kv_load` | the load generator against a server in this JVM, 64 clients, 10 s | ops/s |
///
/// Only with `--only`: `idle_1m` (heap of 1,000,000 idle processes, in MiB) and `app_stop_scale`
/// (`app_stop_25k`, `app_stop_50k`, `app_stop_100k`: the stop time grows linearly).
///
/// Each benchmark warms up first (on a smaller run, or for two seconds where the JIT needs many
/// runs: `spawn`, `restart`, `start_child`; see [WarmUp]) and cleans up every process it started. The
/// machines are noisy: compare ratios measured in one run, and take the median of three runs
/// for the record (`docs/benchmarks.md`).
public final class MicroBench {
    private MicroBench() {}

    @FunctionalInterface
    private interface Bench {
        List<Metric> run() throws Exception;
    }

    private static Map<String, Bench> benchmarks() {
        Map<String, Bench> all = new LinkedHashMap<>();
        all.put("spawn", () -> List.of(CoreBenchmarks.spawn(1_000_000)));
        all.put("memory_per_process", () -> List.of(CoreBenchmarks.memoryPerProcess(100_000)));
        all.put("ping_pong", () -> List.of(CoreBenchmarks.pingPong(1_000_000)));
        all.put("many_to_one", () -> List.of(CoreBenchmarks.manyToOne(1_000, 1_000)));
        all.put("call", () -> BehaviourBenchmarks.callLatency(200_000));
        all.put("call_queued_100k", () -> List.of(BehaviourBenchmarks.callQueued(50_000)));
        all.put("restart", () -> List.of(BehaviourBenchmarks.restart(10_000)));
        all.put("start_child", () -> List.of(BehaviourBenchmarks.startChild(20_000)));
        all.put("registry_lookup", () -> List.of(KvBenchmarks.registryLookup(10_000_000)));
        all.put("one_for_all_100k", () -> List.of(KvBenchmarks.oneForAll(100_000)));
        all.put("app_stop_100k", () -> List.of(KvBenchmarks.appStop(100_000, "app_stop_100k")));
        all.put("kv_load", () -> List.of(KvBenchmarks.kvLoad(64, 10)));
        return all;
    }

    /// Benchmarks run only when named in `--only`: long, or a series for one row.
    private static Map<String, Bench> extras() {
        Map<String, Bench> all = new LinkedHashMap<>();
        all.put("idle_1m", () -> List.of(CoreBenchmarks.idleMillion(1_000_000)));
        all.put("app_stop_scale", KvBenchmarks::appStopScale);
        return all;
    }

    /// Runs the benchmarks named in `only` (the default set when empty), printing each figure as
    /// soon as it is measured; progress goes to `progress`. Returns 0, or 2 for an unknown name.
    public static int run(List<String> only, boolean json, PrintWriter out, PrintWriter progress) throws Exception {
        return run(only, json, out, progress, null, 0);
    }

    /// As [#run(List, boolean, PrintWriter, PrintWriter)], then compares the figures with
    /// `recorded` (when not null) and prints each [Regression.Change] (to `progress` with `json`,
    /// so that `out` stays JSON). Returns 1 if a figure is worse by more than `threshold` percent.
    public static int run(
            List<String> only,
            boolean json,
            PrintWriter out,
            PrintWriter progress,
            @Nullable Map<String, Metric> recorded,
            double threshold)
            throws Exception {
        Map<String, Bench> defaults = benchmarks();
        Map<String, Bench> all = new LinkedHashMap<>(defaults);
        all.putAll(extras());
        for (String name : only) {
            if (!all.containsKey(name)) {
                progress.println("unknown benchmark: " + name + " (known: " + String.join(", ", all.keySet()) + ")");
                return 2;
            }
        }
        List<Metric> measured = new ArrayList<>();
        for (Map.Entry<String, Bench> e : all.entrySet()) {
            if (only.isEmpty() ? !defaults.containsKey(e.getKey()) : !only.contains(e.getKey())) {
                continue;
            }
            if (!json) {
                progress.println("running " + e.getKey() + " …");
            }
            for (Metric m : e.getValue().run()) {
                measured.add(m);
                out.println(json ? m.json() : m.human());
            }
            out.flush();
        }
        if (recorded == null) {
            return 0;
        }
        PrintWriter report = json ? progress : out;
        report.printf(Locale.ROOT, "compared with the recorded figures (regression: over %.0f%% worse):%n", threshold);
        boolean regressed = false;
        for (Regression.Change c : Regression.compare(recorded, measured, threshold)) {
            report.println(c.human());
            regressed |= c.regressed();
        }
        report.flush();
        return regressed ? 1 : 0;
    }
}
