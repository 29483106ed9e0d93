package dev.trellis.otp.observe;

import dev.trellis.otp.ExitReason;
import dev.trellis.otp.Pid;
import org.jspecify.annotations.Nullable;

/// One child of a supervisor as its [SupervisorSnapshot] shows it: Erlang's `which_children`
/// entry plus the restart history the Observer shows.
///
/// @param id the child's spec id, printed (a class id prints as its simple name)
/// @param pid the running child; `null` when [#state()] is not [State#RUNNING]
/// @param state running, restarting (a failed restart is retried) or undefined (not running)
/// @param type `worker` or `supervisor`
/// @param restart `permanent`, `transient` or `temporary`
/// @param restarts how many times the supervisor has restarted this child
/// @param lastExit the reason the child last exited, if it ever did
public record ChildSnapshot(
        String id,
        @Nullable Pid pid,
        State state,
        String type,
        String restart,
        int restarts,
        @Nullable ExitReason lastExit) {

    /// What `which_children` shows in place of the pid.
    public enum State {
        /// A pid: the child runs.
        RUNNING,
        /// `restarting`: its restart failed and is retried.
        RESTARTING,
        /// `undefined`: not running (ignored, terminated, or a transient child that exited cleanly).
        UNDEFINED
    }
}
