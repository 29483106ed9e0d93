package dev.trellis.otp;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/// How a [DynamicSupervisor] restarts and limits its children: the options of Elixir's
/// `DynamicSupervisor.init/1`.
///
/// ## Examples
///
/// ```java
/// DynamicSupervisorFlags flags = DynamicSupervisorFlags.defaults();  // 3 restarts in 5 s, no limit
/// DynamicSupervisorFlags bounded = DynamicSupervisorFlags.defaults().maxChildren(1_000_000);
/// DynamicSupervisorFlags withPool = DynamicSupervisorFlags.defaults().extraArguments(List.of(pool));
/// ```
///
/// ## Options
///
/// | component | default | meaning |
/// |---|---|---|
/// | [#maxRestarts()] | 3 | at most this many restarts ... |
/// | [#maxSeconds()] | 5 s | ... within this window (supervisor's clock); one more: it exits `shutdown` |
/// | [#maxChildren()] | [#INFINITY] | at most this many children, restarting ones included |
/// | [#extraArguments()] | empty | passed to every child's [ChildSpec.Start], on every (re)start |
///
/// @param maxRestarts the most restarts allowed within `maxSeconds`, at least 0
/// @param maxSeconds the window of `maxRestarts`, positive
/// @param maxChildren the most children at once, at least 0; [#INFINITY] for no limit; past it
///     [DynamicSupervisor#startChild(Pid, ChildSpec)] returns [DynamicSupervisor.MaxChildren]
/// @param extraArguments given to each child's start function
public record DynamicSupervisorFlags(
        int maxRestarts, Duration maxSeconds, int maxChildren, List<Object> extraArguments) {
    /*
     * Maintainer notes: mirrors the flags of Elixir's DynamicSupervisor (max_restarts,
     * max_seconds, max_children, extra_arguments; strategy is always one_for_one) and its
     * validations (intensity >= 0, period > 0, max_children >= 0). Differences: maxSeconds is a
     * Duration on the supervisor's clock, not whole seconds; `infinity` is Integer.MAX_VALUE.
     * extraArguments is copied (immutable); its elements are shared with every child.
     */

    /// No limit on the number of children (Elixir's `:infinity`).
    public static final int INFINITY = Integer.MAX_VALUE;

    private static final DynamicSupervisorFlags DEFAULTS =
            new DynamicSupervisorFlags(3, Duration.ofSeconds(5), INFINITY, List.of());

    public DynamicSupervisorFlags {
        Objects.requireNonNull(maxSeconds, "maxSeconds");
        extraArguments = List.copyOf(extraArguments);
        if (maxRestarts < 0) {
            throw new IllegalArgumentException("maxRestarts must be >= 0: " + maxRestarts);
        }
        if (maxSeconds.isNegative() || maxSeconds.isZero()) {
            throw new IllegalArgumentException("maxSeconds must be positive: " + maxSeconds);
        }
        if (maxChildren < 0) {
            throw new IllegalArgumentException("maxChildren must be >= 0: " + maxChildren);
        }
    }

    /// 3 restarts in 5 s, no limit on children, no extra arguments.
    public static DynamicSupervisorFlags defaults() {
        return DEFAULTS;
    }

    /// These flags with another restart intensity.
    public DynamicSupervisorFlags maxRestarts(int newMaxRestarts) {
        return new DynamicSupervisorFlags(newMaxRestarts, maxSeconds, maxChildren, extraArguments);
    }

    /// These flags with another restart window.
    public DynamicSupervisorFlags maxSeconds(Duration newMaxSeconds) {
        return new DynamicSupervisorFlags(maxRestarts, newMaxSeconds, maxChildren, extraArguments);
    }

    /// These flags with another limit on children.
    public DynamicSupervisorFlags maxChildren(int newMaxChildren) {
        return new DynamicSupervisorFlags(maxRestarts, maxSeconds, newMaxChildren, extraArguments);
    }

    /// These flags with other extra arguments.
    public DynamicSupervisorFlags extraArguments(List<Object> newExtraArguments) {
        return new DynamicSupervisorFlags(maxRestarts, maxSeconds, maxChildren, newExtraArguments);
    }
}
