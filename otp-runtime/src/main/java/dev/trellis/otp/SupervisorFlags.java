package dev.trellis.otp;

import java.time.Duration;
import java.util.Objects;

/// How a [Supervisor] reacts to its children's exits: Erlang's `sup_flags()` map.
///
/// ## Examples
///
/// ```java
/// SupervisorFlags flags = SupervisorFlags.oneForAll();                 // 3 restarts in 5 s
/// SupervisorFlags patient = SupervisorFlags.oneForOne().intensity(10).period(Duration.ofSeconds(60));
/// SupervisorFlags ends = SupervisorFlags.oneForOne().autoShutdown(SupervisorFlags.AutoShutdown.ANY_SIGNIFICANT);
/// ```
///
/// ## Options
///
/// | component | default | meaning |
/// |---|---|---|
/// | [#strategy()] | [Strategy#ONE_FOR_ONE] | which children a restart affects |
/// | [#intensity()] | 3 | at most this many restarts ... |
/// | [#period()] | 5 s | ... within this window (supervisor's clock); one more and the supervisor gives up |
/// | [#autoShutdown()] | [AutoShutdown#NEVER] | whether significant children's exits shut the supervisor down |
///
/// When a restart would make more than `intensity` restarts within `period` (the window includes
/// restarts exactly `period` ago, as Erlang's does), the supervisor terminates all its children in
/// reverse start order and exits with [ExitReason#SHUTDOWN]; its own supervisor then sees it as
/// an exited child (escalation). `intensity` 0 allows no restart at all.
///
/// @param strategy which children a restart affects
/// @param intensity the most restarts allowed within `period`, at least 0
/// @param period the window of `intensity`, positive
/// @param autoShutdown when significant children shut the supervisor down
public record SupervisorFlags(Strategy strategy, int intensity, Duration period, AutoShutdown autoShutdown) {
    /*
     * Maintainer notes.
     *
     * Mirrors sup_flags() of supervisor.erl (strategy, intensity, period, auto_shutdown) and the
     * checks of its check_flags/1: intensity >= 0, period > 0. simple_one_for_one is not a
     * strategy here: it is DynamicSupervisor, as in Elixir. The defaults are Elixir's (3 in 5 s);
     * Erlang's supervisor defaults to 1 in 5 s.
     *
     * Difference from OTP: the period is a Duration measured in nanoseconds on the supervisor's
     * clock, instead of whole seconds of erlang:monotonic_time(second).
     */

    /// The default [#intensity()]: 3.
    public static final int DEFAULT_INTENSITY = 3;

    /// The default [#period()]: 5 seconds.
    public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(5);

    public SupervisorFlags {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(autoShutdown, "autoShutdown");
        if (intensity < 0) {
            throw new IllegalArgumentException("intensity must be >= 0: " + intensity);
        }
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
    }

    /// Which children a restart affects (Erlang's `strategy()`).
    public enum Strategy {
        /// Only the exited child is restarted; its siblings keep running, with their pids.
        ONE_FOR_ONE,
        /// All other children are terminated (in reverse start order), then all are started again
        /// in start order.
        ONE_FOR_ALL,
        /// The children started after the exited one are terminated (in reverse order), then the
        /// exited child and those are started again in order.
        REST_FOR_ONE
    }

    /// Whether the exit of [significant][ChildSpec#isSignificant()] children shuts the supervisor
    /// down with [ExitReason#SHUTDOWN] (Erlang's `auto_shutdown()`, OTP 24).
    ///
    /// Only a child that exits by itself and is not restarted counts: a child stopped by
    /// [Supervisor#terminateChild(Pid, Object)], or by a sibling's restart under
    /// [Strategy#ONE_FOR_ALL] / [Strategy#REST_FOR_ONE], does not.
    public enum AutoShutdown {
        /// Never; significant children are not allowed.
        NEVER,
        /// When any significant child exits.
        ANY_SIGNIFICANT,
        /// When the last running significant child exits.
        ALL_SIGNIFICANT
    }

    /// [Strategy#ONE_FOR_ONE] with the default intensity, period and auto shutdown.
    public static SupervisorFlags oneForOne() {
        return new SupervisorFlags(Strategy.ONE_FOR_ONE, DEFAULT_INTENSITY, DEFAULT_PERIOD, AutoShutdown.NEVER);
    }

    /// [Strategy#ONE_FOR_ALL] with the default intensity, period and auto shutdown.
    public static SupervisorFlags oneForAll() {
        return oneForOne().strategy(Strategy.ONE_FOR_ALL);
    }

    /// [Strategy#REST_FOR_ONE] with the default intensity, period and auto shutdown.
    public static SupervisorFlags restForOne() {
        return oneForOne().strategy(Strategy.REST_FOR_ONE);
    }

    /// These flags with another strategy.
    public SupervisorFlags strategy(Strategy newStrategy) {
        return new SupervisorFlags(newStrategy, intensity, period, autoShutdown);
    }

    /// These flags with another intensity.
    public SupervisorFlags intensity(int newIntensity) {
        return new SupervisorFlags(strategy, newIntensity, period, autoShutdown);
    }

    /// These flags with another period.
    public SupervisorFlags period(Duration newPeriod) {
        return new SupervisorFlags(strategy, intensity, newPeriod, autoShutdown);
    }

    /// These flags with another auto shutdown.
    public SupervisorFlags autoShutdown(AutoShutdown newAutoShutdown) {
        return new SupervisorFlags(strategy, intensity, period, newAutoShutdown);
    }
}
