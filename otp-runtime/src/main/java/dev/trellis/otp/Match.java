package dev.trellis.otp;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/// A receive pattern: maps a message to a result, or to `null` when the message does not match
/// and must stay in the mailbox.
///
/// A selective receive takes the first message, in arrival order, for which the pattern returns
/// non-null, and leaves every other message where it was, as Erlang's `receive` does.
///
/// ## Examples
///
/// ```java
/// // Only a Pong, whatever else is queued:
/// Pong pong = Kernel.receive(Match.type(Pong.class));
/// // A reply carrying our reference, with a switch pattern:
/// String reply = Kernel.receive(m -> m instanceof Reply(var r, String v) && r == ref ? v : null);
/// ```
@FunctionalInterface
public interface Match<R> {
    /// The result for `message`, or `null` to leave it in the mailbox. Must not block.
    @Nullable
    R match(Object message);

    /// Matches every message.
    static Match<Object> any() {
        return m -> m;
    }

    /// Matches instances of `type`.
    static <T> Match<T> type(Class<T> type) {
        Objects.requireNonNull(type, "type");
        return m -> type.isInstance(m) ? type.cast(m) : null;
    }

    /// Matches messages equal to `expected`.
    static Match<Object> equalTo(Object expected) {
        Objects.requireNonNull(expected, "expected");
        return m -> expected.equals(m) ? m : null;
    }

    /// Matches nothing: receiving with it only waits (Erlang's `receive after T -> ok end`).
    static <T> Match<T> none() {
        return m -> null;
    }
}
