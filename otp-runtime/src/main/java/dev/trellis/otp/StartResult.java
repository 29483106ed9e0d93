package dev.trellis.otp;

/// The outcome of starting a process that runs an `init` step (a server, a supervisor): Erlang's
/// `{ok, Pid} | ignore | {error, {already_started, Pid}} | {error, Reason}`.
///
/// ```java
/// switch (GenServer.start(server, options)) {
///     case StartResult.Ok ok -> use(ok.pid());
///     case StartResult.AlreadyStarted a -> use(a.pid());
///     case StartResult.Ignore i -> {}
///     case StartResult.Failed f -> log(f.reason());
/// }
/// Pid pid = GenServer.start(server, options).orThrow(); // or fail with ExitException
/// ```
public sealed interface StartResult {

    /// The process started and is running.
    record Ok(Pid pid) implements StartResult {}

    /// `init` asked not to start (Erlang's `ignore`); no process is left.
    record Ignore() implements StartResult {}

    /// The name was taken by `pid`; no process is left.
    record AlreadyStarted(Pid pid) implements StartResult {}

    /// `init` failed or stopped with `reason`; no process is left.
    record Failed(ExitReason reason) implements StartResult {}

    /// The started pid.
    ///
    /// @throws ExitException with the failure's reason for any other outcome
    default Pid orThrow() {
        return switch (this) {
            case Ok ok -> ok.pid();
            case Ignore i -> throw new ExitException(ExitReason.other("ignore"), "start");
            case AlreadyStarted a -> throw new ExitException(ExitReason.other("already_started " + a.pid()), "start");
            case Failed f -> throw new ExitException(f.reason(), "start");
        };
    }
}
