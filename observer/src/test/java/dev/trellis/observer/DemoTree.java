package dev.trellis.observer;

import dev.trellis.otp.Agent;
import dev.trellis.otp.Application;
import dev.trellis.otp.ChildSpec;
import dev.trellis.otp.DynamicSupervisor;
import dev.trellis.otp.DynamicSupervisorFlags;
import dev.trellis.otp.Kernel;
import dev.trellis.otp.Pid;
import dev.trellis.otp.StartOptions;
import dev.trellis.otp.Supervisor;
import dev.trellis.otp.SupervisorFlags;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/// A small application for the Observer's tests, shaped like the KV tree: `demo_sup`
/// (one_for_all) → `demo_workers` (a DynamicSupervisor) + `demo_counter` (an Agent).
final class DemoTree {
    static final String APP = "observer_demo";

    private DemoTree() {}

    static Pid start() {
        ChildSpec workers = DynamicSupervisor.childSpec(
                "workers",
                DynamicSupervisorFlags.defaults(),
                StartOptions.defaults().name("demo_workers").label("DemoWorkers"));
        ChildSpec counter = ChildSpec.worker(
                "counter",
                () -> Agent.startLink(
                        () -> new TreeMap<>(Map.of("hits", 0)),
                        StartOptions.defaults().name("demo_counter").label("Counter")));
        return Application.start(
                        APP,
                        () -> Supervisor.startLink(
                                List.of(workers, counter),
                                SupervisorFlags.oneForAll(),
                                StartOptions.defaults().name("demo_sup").label("DemoSup")))
                .orThrow();
    }

    static void stop() {
        Application.stop(APP);
    }

    static Pid whereis(String name) {
        return Kernel.whereis(name).orElseThrow(() -> new AssertionError(name + " is not running"));
    }

    /// Starts a temporary worker under `demo_workers`.
    static Pid startWorker() {
        return DynamicSupervisor.startChild(
                        whereis("demo_workers"),
                        ChildSpec.worker(
                                        "worker",
                                        () -> Agent.startLink(
                                                () -> 0, StartOptions.defaults().label("Worker")))
                                .restart(ChildSpec.Restart.TEMPORARY))
                .orThrow();
    }
}
