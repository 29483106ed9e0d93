package dev.trellis.otp;

import java.util.Objects;

/// The message a process that called [Application#subscribe()] receives when an application
/// stops.
///
/// ## Examples
///
/// ```java
/// Application.subscribe();
/// ApplicationStopped stopped = Kernel.receive(Match.type(ApplicationStopped.class));
/// if (!stopped.reason().equals(Application.STOPPED)) {
///     alert(stopped.name() + " died: " + stopped.reason());
/// }
/// ```
///
/// @param name the application
/// @param reason [Application#STOPPED] after [Application#stop(String)]; otherwise the exit reason
///     of its top supervisor (for example [ExitReason#SHUTDOWN] when its restart intensity was
///     exceeded)
public record ApplicationStopped(String name, ExitReason reason) {
    /*
     * Maintainer notes: sent by the application master to every subscriber before the master
     * exits (and, for a requested stop, before Application.stop returns). Mirrors the
     * "application: X, exited: Reason, type: temporary" report of application_controller.erl,
     * as a message.
     */

    public ApplicationStopped {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(reason, "reason");
    }
}
