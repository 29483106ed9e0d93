package dev.trellis.otp.observe;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/// Runtime-wide counters (Erlang's `statistics/1` and `system_info/1` counts).
///
/// @param processes processes alive now
/// @param spawns processes spawned since start
/// @param exitsByKind processes exited since start, indexed by [ExitKind#ordinal()]
/// @param messages messages sent since start (to live processes)
/// @param registeredNames names registered now
/// @param timers `sendAfter` timers pending now
public record RuntimeStatistics(
        long processes, long spawns, long[] exitsByKind, long messages, int registeredNames, int timers) {

    /// Exit reasons grouped for counting (bounded labels for metrics).
    public enum ExitKind {
        NORMAL,
        SHUTDOWN,
        KILLED,
        NOPROC,
        NOCONNECTION,
        CRASH,
        OTHER
    }

    public RuntimeStatistics {
        exitsByKind = exitsByKind.clone();
    }

    /// Processes that exited with a reason of `kind`.
    public long exits(ExitKind kind) {
        return exitsByKind[kind.ordinal()];
    }

    /// All processes exited since start.
    public long exits() {
        return Arrays.stream(exitsByKind).sum();
    }

    @Override
    public long[] exitsByKind() {
        return exitsByKind.clone();
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof RuntimeStatistics s
                && s.processes == processes
                && s.spawns == spawns
                && Arrays.equals(s.exitsByKind, exitsByKind)
                && s.messages == messages
                && s.registeredNames == registeredNames
                && s.timers == timers;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(processes) * 31 + Arrays.hashCode(exitsByKind);
    }

    @Override
    public String toString() {
        return "RuntimeStatistics[processes=" + processes + ", spawns=" + spawns + ", exits="
                + Arrays.toString(exitsByKind) + ", messages=" + messages + ", names=" + registeredNames
                + ", timers=" + timers + "]";
    }
}
