package dev.trellis.otp;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/// Why a process exited: the reason carried by its `Down` and `Exit` signals.
///
/// Erlang's exit reasons are arbitrary terms; Trellis names the ones the runtime and the OTP
/// behaviours give meaning to and keeps any other term in [Other].
///
/// | reason | Erlang | meaning |
/// |---|---|---|
/// | [#NORMAL] | `normal` | the process finished its work; linked processes are not affected |
/// | [#SHUTDOWN], [#shutdown(Object)] | `shutdown`, `{shutdown, Term}` | stopped by its supervisor or owner; not logged
/// as a crash |
/// | [#KILL] | `kill` | sent with [Kernel#exit(Pid, ExitReason)]; cannot be trapped; the victim exits [#KILLED] |
/// | [#KILLED] | `killed` | what others observe of a process that was sent [#KILL] |
/// | [#NOPROC] | `noproc` | the process did not exist (linking or monitoring a dead pid) |
/// | [#NOCONNECTION] | `noconnection` | the node of the process went away (distribution) |
/// | [Crash] | `{Exception, Stacktrace}` | the process threw; carries the exception |
/// | [Other] | any other term | a reason chosen by user code |
///
/// ## Examples
///
/// ```java
/// ExitReason reason = down.reason();
/// String text = switch (reason) {
///     case ExitReason.Normal n -> "finished";
///     case ExitReason.Crash c -> "crashed: " + c.exception();
///     default -> reason.toString();
/// };
/// ```
public sealed interface ExitReason {

    /// `normal`: the process finished.
    ExitReason NORMAL = new Normal();
    /// `shutdown`: stopped by its supervisor or owner.
    ExitReason SHUTDOWN = new Shutdown(null);
    /// `kill`: the untrappable exit signal.
    ExitReason KILL = new Kill();
    /// `killed`: the reason of a process that received [#KILL].
    ExitReason KILLED = new Killed();
    /// `noproc`: no such process.
    ExitReason NOPROC = new NoProc();
    /// `noconnection`: the process's node is unreachable.
    ExitReason NOCONNECTION = new NoConnection();

    /// `{shutdown, detail}`: a shutdown with a term describing why.
    static ExitReason shutdown(Object detail) {
        return new Shutdown(Objects.requireNonNull(detail, "detail"));
    }

    /// A crash caused by `exception`.
    static ExitReason crash(Throwable exception) {
        return new Crash(exception);
    }

    /// Any other reason term.
    static ExitReason other(Object term) {
        return new Other(term);
    }

    /// Whether supervisors treat this reason as a clean stop: `normal`, `shutdown` or
    /// `{shutdown, _}`. A `transient` child that exits with such a reason is not restarted, and
    /// behaviours do not log it as a crash.
    default boolean isClean() {
        return this instanceof Normal || this instanceof Shutdown;
    }

    /// `normal`.
    record Normal() implements ExitReason {
        @Override
        public String toString() {
            return "normal";
        }
    }

    /// `shutdown` or `{shutdown, detail}`.
    ///
    /// @param detail the term of `{shutdown, detail}`, or `null` for plain `shutdown`
    record Shutdown(@Nullable Object detail) implements ExitReason {
        @Override
        public String toString() {
            return detail == null ? "shutdown" : "{shutdown, " + detail + "}";
        }
    }

    /// `kill`: untrappable when sent with [Kernel#exit(Pid, ExitReason)].
    record Kill() implements ExitReason {
        @Override
        public String toString() {
            return "kill";
        }
    }

    /// `killed`: the exit reason of a process that received `kill`.
    record Killed() implements ExitReason {
        @Override
        public String toString() {
            return "killed";
        }
    }

    /// `noproc`: the process does not exist.
    record NoProc() implements ExitReason {
        @Override
        public String toString() {
            return "noproc";
        }
    }

    /// `noconnection`: the process's node is not reachable.
    record NoConnection() implements ExitReason {
        @Override
        public String toString() {
            return "noconnection";
        }
    }

    /// The process threw `exception` and did not catch it.
    record Crash(Throwable exception) implements ExitReason {
        public Crash {
            Objects.requireNonNull(exception, "exception");
        }

        @Override
        public String toString() {
            return "crash(" + exception + ")";
        }
    }

    /// Any other reason; `term` is compared with `equals`.
    record Other(Object term) implements ExitReason {
        public Other {
            Objects.requireNonNull(term, "term");
        }

        @Override
        public String toString() {
            return String.valueOf(term);
        }
    }
}
