package dev.trellis.otp;

import org.jspecify.annotations.Nullable;

/// A started process and, when it was spawned with [SpawnOptions#monitor()], the reference of
/// the caller's monitor on it (Erlang's `{Pid, Ref}` from `spawn_monitor`).
///
/// @param pid the new process
/// @param monitor the monitor reference, or `null` without [SpawnOptions#monitor()]
public record Spawned(Pid pid, @Nullable Ref monitor) {

    /// The monitor reference of a process spawned with [SpawnOptions#monitor()].
    ///
    /// @throws IllegalStateException if it was spawned without a monitor
    public Ref ref() {
        if (monitor == null) {
            throw new IllegalStateException(pid + " was spawned without a monitor");
        }
        return monitor;
    }
}
