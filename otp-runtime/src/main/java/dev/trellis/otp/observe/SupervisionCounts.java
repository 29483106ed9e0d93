package dev.trellis.otp.observe;

/// Runtime-wide supervision counters since start, kept whether anyone listens or not.
///
/// @param restarts children restarted by any supervisor
/// @param intensityExceeded supervisors that gave up (restart intensity exceeded)
public record SupervisionCounts(long restarts, long intensityExceeded) {}
