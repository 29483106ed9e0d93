package dev.trellis.otp;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// The error reports of supervisors (Erlang's `SUPERVISOR REPORT`s), logged through SLF4J under
/// the logger `dev.trellis.otp.Supervisor`.
final class SupervisorReports {
    /*
     * Mirrors ?report_error/4 of supervisor.erl: the contexts child_terminated, start_error,
     * shutdown_error and shutdown (reached_max_restart_intensity), all at error level, plus the
     * unexpected-message error. Progress reports (a child started) are logged at debug level
     * instead of Erlang's info.
     */
    static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);

    private SupervisorReports() {}

    static void childTerminated(String supervisor, Object id, Pid pid, ExitReason reason) {
        LOG.error("Supervisor {} child_terminated\n** Child: {} ({})\n** Reason: {}", supervisor, id, pid, reason);
    }

    static void startError(String supervisor, Object id, ExitReason reason) {
        LOG.error("Supervisor {} start_error\n** Child: {}\n** Reason: {}", supervisor, id, reason);
    }

    static void shutdownError(String supervisor, Object id, Pid pid, ExitReason reason) {
        LOG.error("Supervisor {} shutdown_error\n** Child: {} ({})\n** Reason: {}", supervisor, id, pid, reason);
    }

    static void intensityReached(String supervisor, Object id) {
        LOG.error("Supervisor {} shutdown: reached_max_restart_intensity\n** Last exited child: {}", supervisor, id);
    }

    static void progress(String supervisor, Object id, Pid pid) {
        LOG.debug("Supervisor {} started child {} ({})", supervisor, id, pid);
    }

    static void unexpected(String supervisor, Object message) {
        LOG.error("Supervisor {} received unexpected message: {}", supervisor, message);
    }
}
