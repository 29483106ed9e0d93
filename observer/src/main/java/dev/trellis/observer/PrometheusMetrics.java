package dev.trellis.observer;

import dev.trellis.otp.observe.ObserverBackend;
import dev.trellis.otp.observe.RuntimeEvent;
import dev.trellis.otp.observe.RuntimeStatistics;
import dev.trellis.otp.observe.SupervisionCounts;
import dev.trellis.otp.observe.SupervisorSnapshot;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/// `GET /metrics`: the runtime's counters in the Prometheus text format (version 0.0.4).
///
/// Labels are bounded: `reason` is an exit kind (`normal`, `shutdown`, `killed`, `noproc`,
/// `noconnection`, `crash`, `other`), `supervisor` a supervisor's [SupervisorSnapshot#path()]
/// (its registered name or id path, the same across restarts, never a pid). Supervisors that
/// share a path are added up.
final class PrometheusMetrics {
    /*
     * otp_supervisor_restarts_total{supervisor} counts the ChildRestarted events seen since the
     * Observer subscribed (a counter per path survives the supervisor's own restarts); every live
     * supervisor's path is exported, at 0 until it restarts something.
     */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Map<String, LongAdder> restartsByPath = new ConcurrentHashMap<>();

    /// The event listener's part: count a restart under its supervisor's path.
    void onEvent(RuntimeEvent event) {
        if (event instanceof RuntimeEvent.ChildRestarted r) {
            restartsByPath
                    .computeIfAbsent(r.supervisorPath(), k -> new LongAdder())
                    .increment();
        }
    }

    String scrape(int streamClients, long droppedEvents) {
        RuntimeStatistics stats = ObserverBackend.statistics();
        SupervisionCounts counts = ObserverBackend.supervisionCounts();
        Map<String, Long> children = new TreeMap<>();
        Map<String, Integer> left = new TreeMap<>();
        Map<String, Long> restarts = new TreeMap<>();
        for (SupervisorSnapshot s : ObserverBackend.supervisors(0)) {
            children.merge(s.path(), (long) s.childCount(), Long::sum);
            left.merge(s.path(), s.restartsLeft(), Math::min);
            restarts.put(s.path(), 0L);
        }
        restartsByPath.forEach((path, n) -> restarts.put(path, n.sum()));

        Text t = new Text();
        t.family("otp_processes", "gauge", "Processes alive now.");
        t.sample("otp_processes", null, null, stats.processes());
        t.family("otp_process_spawns_total", "counter", "Processes spawned since start.");
        t.sample("otp_process_spawns_total", null, null, stats.spawns());
        t.family("otp_process_exits_total", "counter", "Processes exited since start, by kind of exit reason.");
        SystemInfo.exits(stats).forEach((kind, n) -> t.sample("otp_process_exits_total", "reason", kind, n));
        t.family("otp_messages_total", "counter", "Messages sent to live processes since start.");
        t.sample("otp_messages_total", null, null, stats.messages());
        t.family("otp_registered_names", "gauge", "Registered process names now.");
        t.sample("otp_registered_names", null, null, stats.registeredNames());
        t.family("otp_timers", "gauge", "Timers pending now.");
        t.sample("otp_timers", null, null, stats.timers());
        t.family("otp_supervisors", "gauge", "Live supervisors.");
        t.sample("otp_supervisors", null, null, children.size());
        t.family("otp_supervisor_children", "gauge", "Children of each supervisor, running or not.");
        children.forEach((path, n) -> t.sample("otp_supervisor_children", "supervisor", path, n));
        t.family("otp_supervisor_restarts_left", "gauge", "Restarts each supervisor still allows in its window.");
        left.forEach((path, n) -> t.sample("otp_supervisor_restarts_left", "supervisor", path, n));
        t.family(
                "otp_supervisor_restarts_total",
                "counter",
                "Children restarted by each supervisor since the Observer started.");
        restarts.forEach((path, n) -> t.sample("otp_supervisor_restarts_total", "supervisor", path, n));
        t.family("otp_restarts_total", "counter", "Children restarted by any supervisor since start.");
        t.sample("otp_restarts_total", null, null, counts.restarts());
        t.family("otp_intensity_exceeded_total", "counter", "Supervisors that exceeded their restart intensity.");
        t.sample("otp_intensity_exceeded_total", null, null, counts.intensityExceeded());
        t.family("otp_applications", "gauge", "Running applications.");
        t.sample("otp_applications", null, null, ObserverBackend.applications().size());
        t.family("otp_tables", "gauge", "Existing tables.");
        t.sample("otp_tables", null, null, ObserverBackend.tables().size());
        t.family("otp_observer_stream_clients", "gauge", "Browsers connected to the Observer's event stream.");
        t.sample("otp_observer_stream_clients", null, null, streamClients);
        t.family(
                "otp_observer_events_dropped_total",
                "counter",
                "Runtime events the Observer's stream could not keep up with.");
        t.sample("otp_observer_events_dropped_total", null, null, droppedEvents);
        t.family("jvm_memory_heap_used_bytes", "gauge", "Heap in use.");
        t.sample(
                "jvm_memory_heap_used_bytes",
                null,
                null,
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        t.family("jvm_threads", "gauge", "JVM threads (platform threads; processes are virtual threads).");
        t.sample("jvm_threads", null, null, ManagementFactory.getThreadMXBean().getThreadCount());
        return t.toString();
    }

    /// The text format's writer.
    private static final class Text {
        private final StringBuilder out = new StringBuilder(4096);

        void family(String name, String type, String help) {
            out.append("# HELP ").append(name).append(' ').append(help).append('\n');
            out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        }

        void sample(String name, @Nullable String label, @Nullable String value, long n) {
            out.append(name);
            if (label != null && value != null) {
                out.append('{')
                        .append(label)
                        .append("=\"")
                        .append(escape(value))
                        .append("\"}");
            }
            out.append(' ').append(n).append('\n');
        }

        private static String escape(String v) {
            return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
        }

        @Override
        public String toString() {
            return out.toString();
        }
    }
}
