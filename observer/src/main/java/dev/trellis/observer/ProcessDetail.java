package dev.trellis.observer;

import dev.trellis.otp.Pid;
import dev.trellis.otp.observe.ApplicationSnapshot;
import dev.trellis.otp.observe.ObserverBackend;
import dev.trellis.otp.observe.ProcessInfo;
import dev.trellis.otp.observe.ProcessStatus;
import dev.trellis.otp.observe.ProcessSummary;
import dev.trellis.otp.observe.SupervisorSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/// The detail of one process (`GET /api/processes/{pid}`): its snapshot with the current stack,
/// links and monitors, and its supervisor chain up to its application.
///
/// @param supervisorChain its ancestors, nearest first: the supervisors above it and the first
///     ancestor that is not one (its application's master, or the process that spawned it)
/// @param supervisor its own snapshot if it is a supervisor
/// @param application the application whose tree it is in, if any
record ProcessDetail(
        Pid pid,
        @Nullable String name,
        String label,
        ProcessStatus status,
        int mailboxLength,
        long messagesReceived,
        boolean trapExit,
        @Nullable Pid parent,
        List<Pid> links,
        List<Pid> monitoredBy,
        List<String> stack,
        List<Ancestor> supervisorChain,
        @Nullable SupervisorSnapshot supervisor,
        @Nullable String application) {

    /// One step up the chain.
    ///
    /// @param alive whether it is still alive (the label and name are unknown if not)
    /// @param supervisor whether it is a supervisor
    /// @param application the application it is the top supervisor of, if any
    record Ancestor(
            Pid pid,
            boolean alive,
            @Nullable String label,
            @Nullable String name,
            boolean supervisor,
            @Nullable String application) {}

    /// The most steps followed up the chain.
    private static final int MAX_DEPTH = 64;

    /// The detail of `pid`, or empty if it is not alive.
    static Optional<ProcessDetail> of(Pid pid, int childLimit) {
        Optional<ProcessInfo> found = ObserverBackend.processInfo(pid);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ProcessInfo info = found.get();
        Map<Pid, String> apps = new HashMap<>();
        for (ApplicationSnapshot a : ObserverBackend.applications()) {
            apps.put(a.supervisor(), a.name());
        }
        List<Ancestor> chain = new ArrayList<>();
        String application = apps.get(pid);
        Pid up = info.parent();
        while (up != null && chain.size() < MAX_DEPTH) {
            Optional<ProcessSummary> s = ObserverBackend.summary(up);
            if (s.isEmpty()) {
                chain.add(new Ancestor(up, false, null, null, false, null));
                break;
            }
            boolean isSupervisor = ObserverBackend.supervisor(up, 0).isPresent();
            String app = apps.get(up);
            if (app != null) {
                application = app;
            }
            chain.add(new Ancestor(up, true, s.get().label(), s.get().registeredName(), isSupervisor, app));
            if (!isSupervisor) {
                break;
            }
            up = s.get().parent();
        }
        List<String> stack = new ArrayList<>(info.stack().size());
        for (StackTraceElement frame : info.stack()) {
            stack.add(frame.toString());
        }
        return Optional.of(new ProcessDetail(
                pid,
                info.registeredName(),
                info.label(),
                info.status(),
                info.mailboxLength(),
                info.messagesReceived(),
                info.trapExit(),
                info.parent(),
                info.links(),
                info.monitoredBy(),
                stack,
                chain,
                ObserverBackend.supervisor(pid, childLimit).orElse(null),
                application));
    }
}
