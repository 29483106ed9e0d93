package dev.trellis.otp.observe;

/// What a process is doing, as far as a snapshot can tell (Erlang's `process_info(P, status)`).
public enum ProcessStatus {
    /// Running or ready to run.
    RUNNING,
    /// Parked in a receive, waiting for a message or a timeout.
    WAITING,
    /// Blocked outside the runtime: I/O, a lock, a plain `Thread.sleep`.
    BLOCKED,
    /// Running its exit path; gone from the next snapshot.
    EXITING
}
