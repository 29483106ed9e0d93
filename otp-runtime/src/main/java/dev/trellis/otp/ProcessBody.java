package dev.trellis.otp;

/// The code a process runs. The process exits `normal` when it returns, with the reason of an
/// [ExitException] it throws, or with [ExitReason.Crash] for any other exception.
@FunctionalInterface
public interface ProcessBody {
    /// Runs the process.
    void run() throws Exception;
}
