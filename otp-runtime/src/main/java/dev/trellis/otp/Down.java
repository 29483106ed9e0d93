package dev.trellis.otp;

/// The message a monitoring process receives when the monitored process exits: Erlang's
/// `{'DOWN', Ref, process, Pid, Reason}`.
///
/// Exactly one `Down` arrives per monitor that was not removed with [Kernel#demonitor(Ref)].
/// Messages the monitored process sent before it exited arrive before its `Down`.
///
/// @param ref the reference [Kernel#monitor(Pid)] returned
/// @param pid the process that exited
/// @param reason its exit reason ([ExitReason#NOPROC] when it was already dead)
public record Down(Ref ref, Pid pid, ExitReason reason) {}
