package dev.trellis.otp.observe;

import dev.trellis.otp.ExitReason;
import dev.trellis.otp.Pid;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/// Something that happened in the supervision of the runtime, as [ObserverBackend#subscribe]
/// delivers it: a process crashed, a supervisor restarted a child, a supervisor gave up.
///
/// `sequence` numbers events in the order they were published (from 0, runtime-wide; no two
/// events share one); `time` is the wall clock when it was.
public sealed interface RuntimeEvent {
    /// The event's number, runtime-wide.
    long sequence();

    /// When it happened (wall clock).
    Instant time();

    /// A process exited with a reason that is not clean: neither `normal` nor `shutdown`
    /// ([ExitReason#isClean()]); a crash, `killed`, or any other reason.
    ///
    /// @param pid the process
    /// @param name its registered name when it exited, if any
    /// @param label its label
    /// @param reason its exit reason
    record ProcessCrashed(
            long sequence, Instant time, Pid pid, @Nullable String name, String label, ExitReason reason)
            implements RuntimeEvent {}

    /// A supervisor restarted a child: `oldPid` is gone, `newPid` runs in its place. Under
    /// `one_for_all` and `rest_for_one`, every child restarted with the one that exited has an
    /// event of its own.
    ///
    /// @param supervisor the supervisor
    /// @param supervisorPath its [SupervisorSnapshot#path()]
    /// @param childId the child's id
    /// @param oldPid the child's previous pid (`null` if it had none: a retried restart)
    /// @param newPid the restarted child
    /// @param restarts the child's restart count, this restart included
    /// @param reason why the previous child exited, if known
    record ChildRestarted(
            long sequence,
            Instant time,
            Pid supervisor,
            String supervisorPath,
            String childId,
            @Nullable Pid oldPid,
            Pid newPid,
            int restarts,
            @Nullable ExitReason reason)
            implements RuntimeEvent {}

    /// A supervisor's restart intensity was exceeded: it stops all its children and exits
    /// `shutdown` (Erlang's `reached_max_restart_intensity`).
    ///
    /// @param supervisor the supervisor
    /// @param supervisorPath its [SupervisorSnapshot#path()]
    /// @param childId the child whose restart was one too many
    /// @param maxRestarts the intensity
    /// @param period its window
    record IntensityExceeded(
            long sequence,
            Instant time,
            Pid supervisor,
            String supervisorPath,
            String childId,
            int maxRestarts,
            Duration period)
            implements RuntimeEvent {}
}
