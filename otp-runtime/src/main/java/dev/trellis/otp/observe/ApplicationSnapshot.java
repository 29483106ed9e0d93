package dev.trellis.otp.observe;

import dev.trellis.otp.Pid;

/// A running application ([ObserverBackend#applications()]).
///
/// @param name its name
/// @param supervisor its top supervisor
public record ApplicationSnapshot(String name, Pid supervisor) {}
