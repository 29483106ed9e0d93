package dev.trellis.otp;

import java.util.Objects;

/// How a task ended, as a value: Elixir's `{:ok, result} | {:exit, reason}` returned by
/// [Task#yield(Task, java.time.Duration)] and [Task#shutdown(Task, java.time.Duration)].
///
/// ## Examples
///
/// ```java
/// Task<Integer> task = Task.asyncNolink(() -> 6 * 7);
/// TaskResult<Integer> result = Task.yield(task, Duration.ofSeconds(1)).orElseThrow();
/// String text = switch (result) {
///     case TaskResult.Ok<Integer> ok -> "got " + ok.value();            // got 42
///     case TaskResult.Exited<Integer> exited -> "exited " + exited.reason(); // a Crash carries the exception
/// };
/// int n = result.orThrow();                                              // 42, or ExitException
/// ```
public sealed interface TaskResult<T> {

    /// The task returned `value`.
    record Ok<T>(T value) implements TaskResult<T> {
        public Ok {
            Objects.requireNonNull(value, "value");
        }
    }

    /// The task exited with `reason` without returning a value ([ExitReason.Crash] if it threw).
    record Exited<T>(ExitReason reason) implements TaskResult<T> {
        public Exited {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /// The value.
    ///
    /// @throws ExitException with the reason the task exited with (for a crash, the
    ///     exception is its cause)
    default T orThrow() {
        return switch (this) {
            case Ok<T> ok -> ok.value();
            case Exited<T> exited -> throw new ExitException(exited.reason(), "task");
        };
    }
}
