package dev.trellis.observer;

import com.sun.net.httpserver.HttpExchange;
import dev.trellis.otp.ExitReason;
import dev.trellis.otp.Pid;
import dev.trellis.otp.observe.ApplicationSnapshot;
import dev.trellis.otp.observe.ObserverBackend;
import dev.trellis.otp.observe.RuntimeEvent;
import dev.trellis.otp.observe.SupervisorSnapshot;
import dev.trellis.otp.observe.TableInfo;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/// The JSON API under `/api/`: one endpoint per view of the UI, each answered from the runtime's
/// snapshots.
///
/// | endpoint | answers |
/// |---|---|
/// | `GET /api/system` | [SystemInfo] |
/// | `GET /api/load` | [LoadHistory.View] |
/// | `GET /api/applications?children=50` | [Applications]: the applications and every supervisor |
/// | `GET /api/supervisors/{pid}?children=50` | one [SupervisorSnapshot] |
/// | `GET /api/processes?q=&sort=pid&order=asc&offset=0&limit=50` | [ProcessQuery.Page] |
/// | `GET /api/processes/{pid}` | [ProcessDetail] |
/// | `GET /api/processes/{pid}/state` | [Actions.State] (actions only) |
/// | `POST /api/processes/{pid}/kill` `{"reason": "kill"}` | [Actions.Killed] (actions only) |
/// | `GET /api/tables` | [Tables] |
/// | `GET /api/events?limit=200` | [Events]: the most recent runtime events |
/// | `GET /api/events/stream` | server-sent events ([EventStream]) |
///
/// A pid is written `<0.42.0>` (URL-encoded), `0.42.0` or `42`. Errors are JSON
/// `{"error": "...", "status": n}`: 400 for bad parameters or a malformed pid, 403 for an action
/// while actions are off, 404 for a process that is not alive or an unknown path, 405 for a
/// wrong method, 415 for a kill that is not JSON.
final class ApiHandler {
    private final boolean actions;
    private final LoadHistory load;
    private final EventStream stream;

    ApiHandler(boolean actions, LoadHistory load, EventStream stream) {
        this.actions = actions;
        this.load = load;
        this.stream = stream;
    }

    /// What `GET /api/applications` answers: the UI draws each application's tree from
    /// `supervisors`, following the children's pids.
    ///
    /// @param version [ObserverBackend#supervisionVersion()] when taken
    record Applications(
            List<ApplicationSnapshot> applications,
            List<SupervisorSnapshot> supervisors,
            boolean actions,
            long version) {}

    record Tables(List<TableInfo> tables) {}

    record Events(List<RuntimeEvent> events) {}

    Applications applications(int children) {
        long version = ObserverBackend.supervisionVersion();
        return new Applications(
                ObserverBackend.applications(), ObserverBackend.supervisors(children), actions, version);
    }

    void handle(HttpExchange exchange) throws IOException {
        String[] parts = exchange.getRequestURI().getPath().split("/", -1); // "", "api", ...
        Map<String, String> params = Exchanges.query(exchange);
        String view = parts.length > 2 ? parts[2] : "";
        switch (view) {
            case "system" -> get(exchange, parts, 3, SystemInfo.now(actions));
            case "load" -> get(exchange, parts, 3, load.view());
            case "applications" -> get(exchange, parts, 3, applications(children(params)));
            case "supervisors" -> supervisors(exchange, parts, params);
            case "processes" -> processes(exchange, parts, params);
            case "tables" -> get(exchange, parts, 3, new Tables(ObserverBackend.tables()));
            case "events" -> events(exchange, parts, params);
            default ->
                throw HttpError.notFound(
                        "no such endpoint: " + exchange.getRequestURI().getPath());
        }
    }

    private static void get(HttpExchange exchange, String[] parts, int length, Object body) throws IOException {
        if (parts.length != length) {
            throw HttpError.notFound(
                    "no such endpoint: " + exchange.getRequestURI().getPath());
        }
        Exchanges.requireMethod(exchange, "GET", "HEAD");
        Exchanges.sendJson(exchange, 200, body);
    }

    private static int children(Map<String, String> params) {
        return Exchanges.intParam(params, "children", 50, 0, 100_000);
    }

    private void supervisors(HttpExchange exchange, String[] parts, Map<String, String> params) throws IOException {
        if (parts.length == 3) {
            get(exchange, parts, 3, ObserverBackend.supervisors(children(params)));
            return;
        }
        Pid pid = pid(parts, 3);
        SupervisorSnapshot s = ObserverBackend.supervisor(pid, children(params))
                .orElseThrow(() -> HttpError.notFound(pid + " is not a live supervisor"));
        get(exchange, parts, 4, s);
    }

    private void processes(HttpExchange exchange, String[] parts, Map<String, String> params) throws IOException {
        if (parts.length == 3) {
            ProcessQuery query = ProcessQuery.parse(params);
            get(exchange, parts, 3, query.apply(ObserverBackend.processes()));
            return;
        }
        Pid pid = pid(parts, 3);
        if (parts.length == 4) {
            get(
                    exchange,
                    parts,
                    4,
                    ProcessDetail.of(pid, children(params)).orElseThrow(() -> HttpError.notFound("no process " + pid)));
            return;
        }
        if (parts.length != 5) {
            throw HttpError.notFound(
                    "no such endpoint: " + exchange.getRequestURI().getPath());
        }
        switch (parts[4]) {
            case "state" -> {
                Exchanges.requireMethod(exchange, "GET");
                requireActions();
                Exchanges.sendJson(exchange, 200, Actions.state(pid));
            }
            case "kill" -> {
                Exchanges.requireMethod(exchange, "POST");
                requireActions();
                requireSameOriginJson(exchange);
                ExitReason reason = Actions.reason(Exchanges.body(exchange, 4096));
                Exchanges.sendJson(exchange, 202, Actions.kill(pid, reason));
            }
            default ->
                throw HttpError.notFound(
                        "no such endpoint: " + exchange.getRequestURI().getPath());
        }
    }

    private void events(HttpExchange exchange, String[] parts, Map<String, String> params) throws IOException {
        if (parts.length == 4 && parts[3].equals("stream")) {
            Exchanges.requireMethod(exchange, "GET");
            stream.serve(exchange, () -> List.of(new EventStream.Frame("tree", Json.string(applications(50)))));
            return;
        }
        int limit = Exchanges.intParam(params, "limit", 200, 1, ObserverBackend.RECENT_EVENTS);
        List<RuntimeEvent> recent = ObserverBackend.recentEvents();
        get(exchange, parts, 3, new Events(recent.subList(Math.max(0, recent.size() - limit), recent.size())));
    }

    /// The live process named by `parts[i]`; 400 if it is not a pid, 404 if not alive.
    private static Pid pid(String[] parts, int i) {
        String text = parts[i];
        try {
            return ObserverBackend.findProcess(text).orElseThrow(() -> HttpError.notFound("no process " + text));
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest(String.valueOf(e.getMessage()));
        }
    }

    private void requireActions() {
        if (!actions) {
            throw new HttpError(403, "actions are off: start the server with --observer-actions to allow them");
        }
    }

    /// A kill must be a JSON POST from the Observer's own page: a cross-site form cannot send
    /// `application/json` without the browser asking first, and a foreign `Origin` is refused.
    private static void requireSameOriginJson(HttpExchange exchange) {
        String type = Exchanges.header(exchange, "Content-Type");
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new HttpError(415, "send the reason as application/json: {\"reason\": \"kill\"}");
        }
        String origin = Exchanges.header(exchange, "Origin");
        String host = Exchanges.header(exchange, "Host");
        if (origin != null && (host == null || !origin.equals("http://" + host))) {
            throw new HttpError(403, "cross-origin action refused: " + origin);
        }
    }
}
