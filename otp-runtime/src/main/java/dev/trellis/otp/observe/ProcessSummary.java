package dev.trellis.otp.observe;

import dev.trellis.otp.Pid;
import org.jspecify.annotations.Nullable;

/// One row of the process listing ([ObserverBackend#processes()]): what a tool shows for each
/// of 100,000 processes, without the cost of a stack trace (Erlang's `observer_backend` process
/// list, `etop`'s columns).
///
/// Read from a running process without involving it: every field but `pid`, `label` and
/// `parent` may be stale by the time it is read.
///
/// @param pid the process
/// @param registeredName its registered name, if any
/// @param label the description given at spawn (Erlang's initial call)
/// @param status what it is doing
/// @param mailboxLength messages waiting in its mailbox
/// @param messagesReceived messages it has taken from its mailbox so far
/// @param parent the process that spawned it, if a process did
public record ProcessSummary(
        Pid pid,
        @Nullable String registeredName,
        String label,
        ProcessStatus status,
        int mailboxLength,
        long messagesReceived,
        @Nullable Pid parent) {}
