package dev.trellis.otp;

import java.util.Objects;
import java.util.Optional;

/// One child of a supervisor as [Supervisor#whichChildren(Pid)] and
/// [DynamicSupervisor#whichChildren(Pid)] report it: Erlang's `{Id, Child, Type, Modules}`.
///
/// ## Examples
///
/// ```java
/// for (ChildInfo child : Supervisor.whichChildren(sup)) {
///     String state = child.pid().map(Pid::toString).orElse(child.restarting() ? "restarting" : "undefined");
///     System.out.println(child.id() + " " + state + " " + child.type());
/// }
/// ```
///
/// ## Outcomes
///
/// | Erlang | `pid()` | `restarting()` |
/// |---|---|---|
/// | a pid | the child's pid | `false` |
/// | `undefined` (not running: ignored at start, terminated, a transient child that exited cleanly) | empty | `false` |
/// | `restarting` (a restart failed and is retried) | empty | `true` |
///
/// @param id the child's [ChildSpec#id()]
/// @param pid the running child, if any
/// @param restarting whether a failed restart is being retried
/// @param type worker or supervisor
/// @param restart the child's restart type
/// @param restarts how many times the supervisor has restarted this child
/// @param lastExit the reason the child last exited, if it ever did
public record ChildInfo(
        Object id,
        Optional<Pid> pid,
        boolean restarting,
        ChildSpec.Type type,
        ChildSpec.Restart restart,
        int restarts,
        Optional<ExitReason> lastExit) {
    /*
     * Maintainer notes: a snapshot built inside the supervisor process and sent to the caller;
     * immutable. `restarts` and `lastExit` are beyond Erlang's which_children, for the Observer
     * (per-child restart count and last exit reason). Under a DynamicSupervisor, `restarts` counts
     * the restarts of the process this entry stands for and `id` is the spec's id (Elixir
     * reports :undefined there).
     */

    public ChildInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(pid, "pid");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(restart, "restart");
        Objects.requireNonNull(lastExit, "lastExit");
    }
}
