package dev.trellis.observer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trellis.otp.ExitException;
import dev.trellis.otp.ExitReason;
import dev.trellis.otp.Kernel;
import dev.trellis.otp.Pid;
import dev.trellis.otp.Sys;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;

/// What the Observer does to processes, only when started with actions on
/// (`--observer-actions`): send an exit signal with a chosen reason, read a behaviour's state.
final class Actions {
    /*
     * Both are requests of their own, never part of drawing a page. The kill is Erlang's
     * exit(Pid, Reason) sent from outside any process; the state read is sys:get_state/2 with a
     * short timeout, so a busy or non-behaviour process costs the request STATE_TIMEOUT and
     * nothing else. (A process that is not a behaviour keeps the request in its mailbox, as in
     * Erlang.)
     */
    static final Duration STATE_TIMEOUT = Duration.ofSeconds(1);
    private static final int MAX_STATE_CHARS = 20_000;
    private static final int MAX_REASON_CHARS = 200;

    private Actions() {}

    /// What `POST /api/processes/{pid}/kill` answers.
    record Killed(Pid pid, ExitReason reason) {}

    /// What `GET /api/processes/{pid}/state` answers.
    ///
    /// @param type the state's class
    /// @param truncated whether `state` was cut at 20,000 characters
    record State(Pid pid, String type, String state, boolean truncated) {}

    /// The exit reason named in a kill request's body `{"reason": "kill"}`: `kill`, `shutdown`,
    /// `normal`, or any other text as an `other` reason.
    static ExitReason reason(String body) {
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw HttpError.badRequest("the body must be JSON like {\"reason\": \"kill\"}");
        }
        JsonNode r = json == null ? null : json.get("reason");
        if (r == null || !r.isTextual() || r.asText().isBlank()) {
            throw HttpError.badRequest("the body must have a non-empty \"reason\" string");
        }
        String text = r.asText().strip();
        if (text.length() > MAX_REASON_CHARS) {
            throw HttpError.badRequest("reason must be at most " + MAX_REASON_CHARS + " characters");
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "kill" -> ExitReason.KILL;
            case "shutdown" -> ExitReason.SHUTDOWN;
            case "normal" -> ExitReason.NORMAL;
            default -> ExitReason.other(text);
        };
    }

    static Killed kill(Pid pid, ExitReason reason) {
        Kernel.exit(pid, reason);
        return new Killed(pid, reason);
    }

    static State state(Pid pid) {
        Object state;
        try {
            state = Sys.getState(pid, STATE_TIMEOUT);
        } catch (ExitException e) {
            if (e.reason().equals(ExitReason.NOPROC)) {
                throw HttpError.notFound("no process " + pid);
            }
            throw new HttpError(
                    504,
                    pid + " did not answer sys:get_state within " + STATE_TIMEOUT.toMillis() + " ms (" + e.reason()
                            + "); only behaviours (GenServer, Agent, supervisors) answer");
        }
        String text = String.valueOf(state);
        boolean truncated = text.length() > MAX_STATE_CHARS;
        return new State(
                pid, state.getClass().getName(), truncated ? text.substring(0, MAX_STATE_CHARS) : text, truncated);
    }
}
