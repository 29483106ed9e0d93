package dev.trellis.observer;

import dev.trellis.otp.Pid;
import dev.trellis.otp.observe.RuntimeEvent;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import org.jspecify.annotations.Nullable;

/// The runtime's events as JDK Flight Recorder events, for `jcmd <pid> JFR.start` and JDK Mission
/// Control: `dev.trellis.ProcessCrash`, `dev.trellis.ChildRestart`, `dev.trellis.IntensityExceeded`
/// (category Trellis / Supervision). Recorded only while a recording has them enabled.
public final class JfrEvents {
    private JfrEvents() {}

    /// A process exited with a reason that is not clean.
    @Name("dev.trellis.ProcessCrash")
    @Label("Process Crash")
    @Category({"Trellis", "Supervision"})
    @Description("A process exited with a reason other than normal or shutdown")
    public static final class ProcessCrash extends Event {
        @Label("Pid")
        public String pid = "";

        @Label("Registered Name")
        public @Nullable String name;

        @Label("Label")
        public String processLabel = "";

        @Label("Reason")
        public String reason = "";
    }

    /// A supervisor restarted a child.
    @Name("dev.trellis.ChildRestart")
    @Label("Child Restart")
    @Category({"Trellis", "Supervision"})
    @Description("A supervisor restarted a child: the old pid is gone, the new one runs")
    public static final class ChildRestart extends Event {
        @Label("Supervisor")
        public String supervisor = "";

        @Label("Supervisor Path")
        public String supervisorPath = "";

        @Label("Child Id")
        public String childId = "";

        @Label("Old Pid")
        public @Nullable String oldPid;

        @Label("New Pid")
        public String newPid = "";

        @Label("Restarts")
        public int restarts;

        @Label("Reason")
        public @Nullable String reason;
    }

    /// A supervisor exceeded its restart intensity and gave up.
    @Name("dev.trellis.IntensityExceeded")
    @Label("Intensity Exceeded")
    @Category({"Trellis", "Supervision"})
    @Description("A supervisor exceeded its restart intensity, stopped its children and exited shutdown")
    public static final class IntensityExceeded extends Event {
        @Label("Supervisor")
        public String supervisor = "";

        @Label("Supervisor Path")
        public String supervisorPath = "";

        @Label("Child Id")
        public String childId = "";

        @Label("Max Restarts")
        public int maxRestarts;

        @Label("Period Millis")
        public long periodMillis;
    }

    /// Commits `event` as its JFR event, if a recording wants it. Cheap when none does.
    static void record(RuntimeEvent event) {
        switch (event) {
            case RuntimeEvent.ProcessCrashed c -> {
                ProcessCrash e = new ProcessCrash();
                if (e.isEnabled()) {
                    e.pid = c.pid().toString();
                    e.name = c.name();
                    e.processLabel = c.label();
                    e.reason = c.reason().toString();
                    e.commit();
                }
            }
            case RuntimeEvent.ChildRestarted r -> {
                ChildRestart e = new ChildRestart();
                if (e.isEnabled()) {
                    e.supervisor = r.supervisor().toString();
                    e.supervisorPath = r.supervisorPath();
                    e.childId = r.childId();
                    e.oldPid = text(r.oldPid());
                    e.newPid = r.newPid().toString();
                    e.restarts = r.restarts();
                    e.reason = r.reason() == null ? null : String.valueOf(r.reason());
                    e.commit();
                }
            }
            case RuntimeEvent.IntensityExceeded x -> {
                IntensityExceeded e = new IntensityExceeded();
                if (e.isEnabled()) {
                    e.supervisor = x.supervisor().toString();
                    e.supervisorPath = x.supervisorPath();
                    e.childId = x.childId();
                    e.maxRestarts = x.maxRestarts();
                    e.periodMillis = x.period().toMillis();
                    e.commit();
                }
            }
        }
    }

    private static @Nullable String text(@Nullable Pid pid) {
        return pid == null ? null : pid.toString();
    }
}
