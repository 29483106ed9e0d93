package dev.trellis.observer;

import dev.trellis.otp.observe.ObserverBackend;
import dev.trellis.otp.observe.RuntimeStatistics;
import dev.trellis.otp.observe.SupervisionCounts;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.RuntimeMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/// The System page (`GET /api/system`): versions, uptime, counts and memory, like the first tab
/// of Erlang's Observer.
///
/// @param java the Java runtime: version, vendor, VM
/// @param os the operating system and processors
/// @param startedAt when the JVM started
/// @param uptime how long it has run
/// @param processes processes alive now
/// @param spawns processes spawned since start
/// @param exits processes exited since start, by reason kind (`normal`, `killed`, …)
/// @param messages messages sent since start
/// @param registeredNames names registered now
/// @param timers timers pending now
/// @param supervisors live supervisors
/// @param applications running applications
/// @param tables existing tables
/// @param supervision restarts and intensity give-ups since start
/// @param memory heap and non-heap bytes
/// @param threads JVM threads now (platform threads; processes are virtual threads)
/// @param actions whether the Observer may kill processes and show state
record SystemInfo(
        Map<String, String> java,
        Map<String, String> os,
        Instant startedAt,
        Duration uptime,
        long processes,
        long spawns,
        Map<String, Long> exits,
        long messages,
        int registeredNames,
        int timers,
        int supervisors,
        int applications,
        int tables,
        SupervisionCounts supervision,
        Map<String, Long> memory,
        int threads,
        boolean actions) {

    static SystemInfo now(boolean actions) {
        RuntimeMXBean rt = ManagementFactory.getRuntimeMXBean();
        RuntimeStatistics stats = ObserverBackend.statistics();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        Map<String, Long> memory = new LinkedHashMap<>();
        memory.put("heapUsed", heap.getUsed());
        memory.put("heapCommitted", heap.getCommitted());
        memory.put("heapMax", heap.getMax());
        memory.put("nonHeapUsed", nonHeap.getUsed());
        return new SystemInfo(
                Map.of(
                        "version", Runtime.version().toString(),
                        "vendor", String.valueOf(System.getProperty("java.vendor")),
                        "vm", rt.getVmName() + " " + rt.getVmVersion()),
                Map.of(
                        "name", System.getProperty("os.name") + " " + System.getProperty("os.version"),
                        "arch", String.valueOf(System.getProperty("os.arch")),
                        "processors", Integer.toString(Runtime.getRuntime().availableProcessors())),
                Instant.ofEpochMilli(rt.getStartTime()),
                Duration.ofMillis(rt.getUptime()),
                stats.processes(),
                stats.spawns(),
                exits(stats),
                stats.messages(),
                stats.registeredNames(),
                stats.timers(),
                ObserverBackend.supervisors(0).size(),
                ObserverBackend.applications().size(),
                ObserverBackend.tables().size(),
                ObserverBackend.supervisionCounts(),
                memory,
                ManagementFactory.getThreadMXBean().getThreadCount(),
                actions);
    }

    /// Exits by kind, keyed by the kind in lower case (the Prometheus `reason` label too).
    static Map<String, Long> exits(RuntimeStatistics stats) {
        Map<String, Long> exits = new LinkedHashMap<>();
        for (RuntimeStatistics.ExitKind kind : RuntimeStatistics.ExitKind.values()) {
            exits.put(kind.name().toLowerCase(Locale.ROOT), stats.exits(kind));
        }
        return exits;
    }
}
