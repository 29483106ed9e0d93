package dev.trellis.otp.observe;

import dev.trellis.otp.Pid;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/// What a live supervisor has published about itself ([ObserverBackend#supervisors(int)]):
/// its strategy, its restart intensity and the budget left of it, and its children with their
/// restart history. Taken without a message to the supervisor, so a tool can draw it while the
/// supervisor is busy restarting.
///
/// The supervisor publishes after each message it handles (a [Supervisor][dev.trellis.otp.Supervisor]
/// its whole child list, a [DynamicSupervisor][dev.trellis.otp.DynamicSupervisor] each child as it
/// comes and goes); [#restartsLeft()] is computed when the snapshot is taken, on the supervisor's
/// clock, so restarts that have left the window are no longer counted.
///
/// @param pid the supervisor
/// @param name its registered name, if it has one
/// @param path its name, or the id path from its application or root (`kv_server/Acceptor`):
///     stable across restarts, never a pid (a metrics label)
/// @param label its process label
/// @param kind a `Supervisor` or a `DynamicSupervisor`
/// @param strategy `one_for_one`, `one_for_all` or `rest_for_one` (a dynamic supervisor is
///     `one_for_one`)
/// @param maxRestarts the restart intensity: at most this many restarts ...
/// @param period ... within this window
/// @param restartsLeft restarts still allowed now before the supervisor gives up
/// @param restarts restarts performed since this supervisor started
/// @param maxChildren the most children a dynamic supervisor takes; `Integer.MAX_VALUE` when
///     unbounded (always for a `Supervisor`)
/// @param childCount how many children it has, running or not
/// @param children its children in start order, at most the limit asked for
/// @param version grows each time the supervisor publishes: equal versions, equal contents
public record SupervisorSnapshot(
        Pid pid,
        @Nullable String name,
        String path,
        String label,
        Kind kind,
        String strategy,
        int maxRestarts,
        Duration period,
        int restartsLeft,
        long restarts,
        int maxChildren,
        int childCount,
        List<ChildSnapshot> children,
        long version) {

    public SupervisorSnapshot {
        children = List.copyOf(children);
    }

    /// Which behaviour the supervisor runs.
    public enum Kind {
        /// [dev.trellis.otp.Supervisor]: children from specs, by id.
        SUPERVISOR,
        /// [dev.trellis.otp.DynamicSupervisor]: children started on demand, by pid.
        DYNAMIC_SUPERVISOR
    }
}
