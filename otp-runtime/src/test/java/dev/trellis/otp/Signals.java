package dev.trellis.otp;

/// Matches for the runtime's signal messages, shared by the core tests.
final class Signals {
    private Signals() {}

    static Match<Down> downOf(Ref ref) {
        return m -> m instanceof Down d && d.ref() == ref ? d : null;
    }

    static Match<Exit> exitFrom(Pid pid) {
        return m -> m instanceof Exit e && e.from().equals(pid) ? e : null;
    }

    /// Waits for `pid` to exit and returns its reason.
    static ExitReason awaitExit(Pid pid) {
        Ref ref = Kernel.monitor(pid);
        return InProcess.expect(downOf(ref)).reason();
    }
}
