package dev.trellis.otp;

import java.util.Objects;

/// Thrown to make the calling process exit with [#reason()], the counterpart of Erlang's
/// `exit(Reason)`.
///
/// The runtime throws it from [Kernel#exit(ExitReason)], from a receive or sleep of a process
/// that was sent an exit signal it does not trap, and the behaviours throw it from calls that
/// fail the way `gen_server:call` exits the caller (`noproc`, a timeout, the server's crash).
/// When it leaves the process body, the process exits with [#reason()] and nothing is logged;
/// any other exception leaving the body becomes [ExitReason.Crash] and is logged once.
///
/// Catching it is allowed (as Erlang's `catch exit(...)`), but an exit signal received from
/// another process stays pending: the next receive throws it again and the process still exits
/// with that reason when its body ends.
public final class ExitException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /// The exit reason.
    private final transient ExitReason reason;

    /// An exit with `reason`.
    public ExitException(ExitReason reason) {
        super(String.valueOf(reason), reason instanceof ExitReason.Crash c ? c.exception() : null, false, true);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /// An exit with `reason`, described by `message` (for example the call that failed).
    public ExitException(ExitReason reason, String message) {
        super(message + ": " + reason, reason instanceof ExitReason.Crash c ? c.exception() : null, false, true);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    private ExitException(ExitReason reason, boolean stackTrace) {
        super(String.valueOf(reason), null, false, stackTrace);
        this.reason = reason;
    }

    /// How [Proc#run()] leaves a body that returned: through the handler of the exits, so that a
    /// killed process's exit is never the first exception that handler sees (see
    /// [Proc#receiveAll]). Thrown and caught there only.
    static final ExitException RETURNED = new ExitException(ExitReason.NORMAL, false);

    /// The exception a process throws when an exit signal from another process kills it: no
    /// stack trace (it says nothing about the killer), so a mass shutdown stays cheap.
    static ExitException signalled(ExitReason reason) {
        return new ExitException(reason, false);
    }

    /// The reason the process exits with if this exception is not caught.
    public ExitReason reason() {
        return reason;
    }
}
