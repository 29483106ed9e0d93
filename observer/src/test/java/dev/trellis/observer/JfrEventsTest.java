package dev.trellis.observer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.otp.Agent;
import dev.trellis.otp.ChildSpec;
import dev.trellis.otp.DynamicSupervisor;
import dev.trellis.otp.DynamicSupervisorFlags;
import dev.trellis.otp.ExitReason;
import dev.trellis.otp.Kernel;
import dev.trellis.otp.Pid;
import dev.trellis.otp.StartOptions;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/// The runtime's events reach JDK Flight Recorder while the Observer runs.
class JfrEventsTest {

    @Test
    void crashRestartAndIntensityExceededAreRecorded() throws Exception {
        BlockingQueue<RecordedEvent> recorded = new LinkedBlockingQueue<>();
        try (Observer observer = Observer.start(ObserverConfig.defaults().port(0));
                RecordingStream rs = new RecordingStream()) {
            for (String name : new String[] {
                "dev.trellis.ProcessCrash", "dev.trellis.ChildRestart", "dev.trellis.IntensityExceeded"
            }) {
                rs.enable(name);
                rs.onEvent(name, recorded::add);
            }
            rs.startAsync();
            Pid sup = DynamicSupervisor.start(
                            DynamicSupervisorFlags.defaults().maxRestarts(1),
                            StartOptions.defaults().name("jfr_sup"))
                    .orThrow();
            Pid child = DynamicSupervisor.startChild(
                            sup, ChildSpec.worker("jfr_child", () -> Agent.startLink(() -> 0, StartOptions.defaults())))
                    .orThrow();
            Kernel.exit(child, ExitReason.other("jfr crash"));
            RecordedEvent crash = next(recorded, "dev.trellis.ProcessCrash", child);
            assertThat(crash.getString("reason")).isEqualTo("jfr crash");
            RecordedEvent restart = next(recorded, "dev.trellis.ChildRestart", null);
            assertThat(restart.getString("supervisorPath")).isEqualTo("jfr_sup");
            assertThat(restart.getString("oldPid")).isEqualTo(child.toString());
            assertThat(restart.getString("childId")).isEqualTo("jfr_child");
            assertThat(restart.getInt("restarts")).isEqualTo(1);
            Pid second = Pid.class.cast(
                    DynamicSupervisor.whichChildren(sup).getFirst().pid().orElseThrow());
            Kernel.exit(second, ExitReason.KILL);
            RecordedEvent exceeded = next(recorded, "dev.trellis.IntensityExceeded", null);
            assertThat(exceeded.getString("supervisor")).isEqualTo(sup.toString());
            assertThat(exceeded.getInt("maxRestarts")).isEqualTo(1);
            assertThat(exceeded.getLong("periodMillis")).isEqualTo(5000);
        }
    }

    private static RecordedEvent next(BlockingQueue<RecordedEvent> q, String type, @Nullable Pid pid) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (; ; ) {
            RecordedEvent e = q.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new AssertionError("no " + type + " recorded");
            }
            if (e.getEventType().getName().equals(type)
                    && (pid == null || pid.toString().equals(e.getString("pid")))) {
                return e;
            }
        }
    }
}
