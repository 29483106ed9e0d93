package dev.trellis.otp;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/// How [Kernel#spawn(ProcessBody, SpawnOptions)] starts a process: Erlang's `spawn_opt` options.
///
/// | option | default | effect |
/// |---|---|---|
/// | [#link()] | off | link the new process to the caller before it runs (`spawn_link`) |
/// | [#monitor()] | off | monitor it from the caller before it runs (`spawn_monitor`) |
/// | [#trapExit()] | off | the new process starts trapping exits |
/// | [#clock(Clock)] | the caller's clock, or [Clock#system()] | the clock of the new process and of everything it
/// spawns |
/// | [#label(String)] | `"anonymous"` | what tools show for it (Erlang's initial call); its thread's name |
///
/// ```java
/// Spawned s = Kernel.spawn(body, SpawnOptions.defaults().link().label("worker"));
/// ```
public record SpawnOptions(
        boolean linked,
        boolean monitored,
        boolean trapping,
        @Nullable Clock clock,
        String label) {

    private static final SpawnOptions DEFAULTS = new SpawnOptions(false, false, false, null, "anonymous");

    public SpawnOptions {
        Objects.requireNonNull(label, "label");
    }

    /// No link, no monitor, no trap, the caller's clock.
    public static SpawnOptions defaults() {
        return DEFAULTS;
    }

    /// Also link the new process to the caller.
    public SpawnOptions link() {
        return new SpawnOptions(true, monitored, trapping, clock, label);
    }

    /// Also monitor the new process from the caller.
    public SpawnOptions monitor() {
        return new SpawnOptions(linked, true, trapping, clock, label);
    }

    /// The new process traps exits from its start.
    public SpawnOptions trapExit() {
        return new SpawnOptions(linked, monitored, true, clock, label);
    }

    /// The new process runs on `clock`.
    public SpawnOptions clock(Clock clock) {
        return new SpawnOptions(linked, monitored, trapping, Objects.requireNonNull(clock, "clock"), label);
    }

    /// Describes the new process to tools.
    public SpawnOptions label(String label) {
        return new SpawnOptions(linked, monitored, trapping, clock, label);
    }
}
