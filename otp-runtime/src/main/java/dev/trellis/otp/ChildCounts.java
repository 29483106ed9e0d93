package dev.trellis.otp;

/// What [Supervisor#countChildren(Pid)] and [DynamicSupervisor#countChildren(Pid)] report:
/// Erlang's `count_children/1` property list.
///
/// ## Examples
///
/// ```java
/// ChildCounts counts = DynamicSupervisor.countChildren(buckets);
/// assert counts.active() == counts.specs(); // no child is restarting
/// ```
///
/// @param specs children the supervisor knows, running or not (restarting ones included)
/// @param active children running now
/// @param supervisors children of type [ChildSpec.Type#SUPERVISOR], running or not
/// @param workers children of type [ChildSpec.Type#WORKER], running or not
public record ChildCounts(int specs, int active, int supervisors, int workers) {
    /*
     * Maintainer notes: computed inside the supervisor process from its child table. A Supervisor
     * counts a child active if its pid is alive (count_child/2 in supervisor.erl calls
     * is_process_alive); a DynamicSupervisor counts every child that is not restarting, as
     * Elixir's DynamicSupervisor does. Invariant: specs == supervisors + workers, active <= specs.
     */
}
