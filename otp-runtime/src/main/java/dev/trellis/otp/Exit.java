package dev.trellis.otp;

/// The message a process that traps exits receives in place of an exit signal: Erlang's
/// `{'EXIT', From, Reason}`.
///
/// A process that calls [Kernel#trapExit(boolean)] with `true` receives one `Exit` when a linked
/// process exits (with any reason, `normal` included) and when another process sends it an exit
/// signal with [Kernel#exit(Pid, ExitReason)] (except [ExitReason#KILL], which cannot be trapped).
///
/// @param from the process the signal came from
/// @param reason the reason of the signal
public record Exit(Pid from, ExitReason reason) {}
