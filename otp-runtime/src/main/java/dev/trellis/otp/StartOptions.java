package dev.trellis.otp;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/// How a behaviour process is started (the options of `gen_server:start_link/4`).
///
/// | option | default | effect |
/// |---|---|---|
/// | [#name(Name)] | none | register under this name before `init` runs; a taken name gives
/// [StartResult.AlreadyStarted] |
/// | [#timeout(Duration)] | [Kernel#INFINITY] | how long `start` waits for `init`; past it the process is killed and
/// `start` fails with `timeout` |
/// | [#label(String)] | the behaviour's class name | what tools show for the process |
///
/// @param name the name to register, if any
/// @param timeout how long to wait for `init`
/// @param label the description for tools, or `null` for the default
public record StartOptions(
        @Nullable Name name, Duration timeout, @Nullable String label) {
    private static final StartOptions DEFAULTS = new StartOptions(null, Kernel.INFINITY, null);

    public StartOptions {
        Objects.requireNonNull(timeout, "timeout");
    }

    /// No name, no start timeout.
    public static StartOptions defaults() {
        return DEFAULTS;
    }

    /// Registers the process under `name`.
    public StartOptions name(Name name) {
        return new StartOptions(Objects.requireNonNull(name, "name"), timeout, label);
    }

    /// Registers the process under the local name `name`.
    public StartOptions name(String name) {
        return name(Name.local(name));
    }

    /// Waits at most `timeout` for `init`.
    public StartOptions timeout(Duration timeout) {
        return new StartOptions(name, timeout, label);
    }

    /// Describes the process to tools.
    public StartOptions label(String label) {
        return new StartOptions(name, timeout, Objects.requireNonNull(label, "label"));
    }
}
