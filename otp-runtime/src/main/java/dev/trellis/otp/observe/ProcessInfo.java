package dev.trellis.otp.observe;

import dev.trellis.otp.Pid;
import java.util.List;
import org.jspecify.annotations.Nullable;

/// A snapshot of one process (Erlang's `process_info/1`), taken without involving the process.
///
/// Fields read from a running process (mailbox length, status, stack) are approximate: they may
/// be stale by the time the snapshot is read.
///
/// @param pid the process
/// @param registeredName its registered name, if any
/// @param label the description given at spawn (Erlang's initial call)
/// @param parent the process that spawned it, if it was spawned by a process
/// @param status what it is doing
/// @param mailboxLength messages waiting in its mailbox
/// @param messagesReceived messages it has taken from its mailbox so far
/// @param trapExit whether it traps exits
/// @param links the processes it is linked to
/// @param monitoredBy the processes monitoring it
/// @param stack its current stack, innermost frame first
public record ProcessInfo(
        Pid pid,
        @Nullable String registeredName,
        String label,
        @Nullable Pid parent,
        ProcessStatus status,
        int mailboxLength,
        long messagesReceived,
        boolean trapExit,
        List<Pid> links,
        List<Pid> monitoredBy,
        List<StackTraceElement> stack) {

    public ProcessInfo {
        links = List.copyOf(links);
        monitoredBy = List.copyOf(monitoredBy);
        stack = List.copyOf(stack);
    }
}
