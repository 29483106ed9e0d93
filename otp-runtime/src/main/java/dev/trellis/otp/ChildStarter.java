package dev.trellis.otp;

import java.util.List;

/// Starting supervised children, from inside the supervisor process.
final class ChildStarter {
    /*
     * Mirrors do_start_child_i/3 of supervisor.erl and start_child/3 of Elixir's
     * DynamicSupervisor: whatever the start function does (returns a failure, throws, exits) is
     * turned into a StartResult, as `catch apply(M, F, A)` does; only VirtualMachineErrors
     * propagate (and crash the supervisor).
     */
    private ChildStarter() {}

    /// Runs the start function of `spec` in the calling (supervisor) process; an exception is a
    /// failed start with that exception as the reason.
    static StartResult start(ChildSpec spec, List<Object> extraArguments) {
        try {
            StartResult result = spec.start().start(extraArguments);
            if (result == null) {
                return new StartResult.Failed(ExitReason.other("start function of " + spec.id() + " returned null"));
            }
            return result;
        } catch (ExitException e) {
            return new StartResult.Failed(e.reason());
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            return new StartResult.Failed(ExitReason.crash(t));
        }
    }

    /// The reason of a start that did not return [StartResult.Ok] or [StartResult.Ignore].
    static ExitReason failure(StartResult result) {
        return switch (result) {
            case StartResult.Failed f -> f.reason();
            case StartResult.AlreadyStarted a -> ExitReason.other(a);
            case StartResult.Ok ok -> throw new IllegalArgumentException("not a failure: " + result);
            case StartResult.Ignore i -> throw new IllegalArgumentException("not a failure: " + result);
        };
    }
}
