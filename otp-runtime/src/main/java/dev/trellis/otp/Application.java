package dev.trellis.otp;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/// A named supervision tree that is started and stopped as a unit (Erlang's `application`,
/// Elixir's `Application`): the KV store, the TCP server, the Observer.
///
/// [#start(String, Supplier)] starts an application master process, which runs the given start
/// function to start the top supervisor linked to itself. [#stop(String)] stops the top
/// supervisor, which stops the whole tree in reverse start order, and returns once everything
/// is down. If the top supervisor dies on its own (for example its restart intensity was
/// exceeded), the application is over: the master logs `application X exited: reason` at error
/// level and tells the subscribers ([#subscribe()]) with an [ApplicationStopped] message.
///
/// ## Examples
///
/// ```java
/// StartResult started = Application.start("kv", () -> Supervisor.startLink(children, SupervisorFlags.oneForAll()));
/// Pid top = started.orThrow();                       // the top supervisor
/// Application.whichApplications();                  // [Info[name=kv, supervisor=<0.90.0>]]
/// Application.stop("kv");                           // true: the tree is down
/// Application.stop("kv");                           // false: not running
/// ```
///
/// Watching applications from a process:
///
/// ```java
/// Application.subscribe();
/// ApplicationStopped stopped = Kernel.receive(Match.type(ApplicationStopped.class));
/// ```
///
/// ## How to supervise
///
/// An application is the root of supervision: nothing supervises it. The start function must
/// start the top process linked to the calling (master) process, which is what `startLink`
/// functions do; [Supervisor#startLink(List, SupervisorFlags)] is the usual choice.
///
/// ## Options and defaults
///
/// | aspect | behaviour |
/// |---|---|
/// | name | any string; one application per name at a time |
/// | type | always temporary: its death is reported, nothing else stops |
/// | stop timeout | none: `stop` waits as long as the tree's shutdowns take |
///
/// ## Outcomes
///
/// - `start`: [StartResult.Ok] with the top supervisor's pid; [StartResult.AlreadyStarted] with
///   the running application's top supervisor; [StartResult.Failed] with the start function's
///   failure (its [StartResult.Failed] reason, `ignore`, `other(AlreadyStarted(pid))` for a name
///   taken by another process, or the exception), logged at error level, and nothing left running.
/// - `stop`: `true` once this call has stopped the tree and the application is gone; `false` if
///   it was not running (or stopped on its own, or by a concurrent `stop`, meanwhile) — in every
///   case it returns only when no application of that name is running any more. Callable from
///   any thread, any number of times.
/// - The top supervisor dies on its own: one error log line, [ApplicationStopped] with its exit
///   reason to every subscriber, the application is no longer listed.
///
/// ## Differences from OTP
///
/// - No `.app` resource files, dependencies, environment or start types; an application is a
///   name and a start function.
/// - Every application is `temporary`: the death of one never stops the runtime.
/// - Stopping from inside the application's own tree works only from a process that the tree's
///   shutdown does not wait on indefinitely (as in Erlang, where it deadlocks otherwise).
public final class Application {
    /*
     * Maintainer notes.
     *
     * Client side only; the process is ApplicationMaster (a GenServer). Mirrors application.erl
     * / application_master.erl for temporary applications with a single top supervisor.
     *
     * Invariants: start is atomic per name (the master claims the name before its init runs);
     * stop waits for the master's Down, and the master's exit hooks remove the name and the
     * RUNNING entry before its monitors fire, so when stop returns, whichApplications no longer
     * lists it and start of the same name succeeds. Subscriptions end with the subscriber's
     * process (exit hook).
     */

    /// The [ApplicationStopped#reason()] of an application stopped with [#stop(String)]:
    /// Erlang's `stopped`.
    public static final ExitReason STOPPED = ExitReason.other("stopped");

    private Application() {}

    /// A running application.
    ///
    /// @param name its name
    /// @param supervisor its top supervisor
    public record Info(String name, Pid supervisor) {}

    /// Starts application `name`: a master process runs `topSupervisorStart`, which must start
    /// the top supervisor linked to it (see "Outcomes"). Returns once the tree has started.
    public static StartResult start(String name, Supplier<StartResult> topSupervisorStart) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(topSupervisorStart, "topSupervisorStart");
        if (!Kernel.inProcess()) {
            return ServerLoop.outside(() -> start(name, topSupervisorStart));
        }
        for (; ; ) {
            ApplicationMaster master = new ApplicationMaster(name, topSupervisorStart);
            StartOptions options = StartOptions.defaults()
                    .name(Name.via(ApplicationMaster.NAMES, name))
                    .label("application_master " + name);
            StartResult result = GenServer.start(master, options);
            switch (result) {
                case StartResult.Ok ok -> {
                    return new StartResult.Ok(Objects.requireNonNull(master.topSupervisor()));
                }
                case StartResult.AlreadyStarted running -> {
                    try {
                        Pid sup =
                                GenServer.call(running.pid(), new ApplicationMaster.WhichSupervisor(), Kernel.INFINITY);
                        return new StartResult.AlreadyStarted(sup);
                    } catch (ExitException gone) {
                        // It stopped meanwhile: try again.
                    }
                }
                case StartResult.Failed f -> {
                    return f;
                }
                case StartResult.Ignore i -> {
                    return i;
                }
            }
        }
    }

    /// Stops application `name` and returns once its tree is down and it is no longer listed;
    /// `false` if it was not running (see "Outcomes"). Safe from any thread, idempotent.
    public static boolean stop(String name) {
        Objects.requireNonNull(name, "name");
        if (!Kernel.inProcess()) {
            return ServerLoop.outside(() -> stop(name));
        }
        Optional<Pid> found = ApplicationMaster.NAMES.whereisName(name);
        if (found.isEmpty()) {
            return false;
        }
        Pid master = found.get();
        Ref mon = Kernel.monitor(master);
        boolean stopped;
        try {
            stopped = GenServer.call(master, new ApplicationMaster.Stop(), Kernel.INFINITY);
        } catch (ExitException gone) {
            stopped = false;
        }
        Kernel.receive(m -> m instanceof Down d && d.ref() == mon ? d : null);
        return stopped;
    }

    /// The running applications, by name.
    public static List<Info> whichApplications() {
        return ApplicationMaster.RUNNING.values().stream()
                .sorted(Comparator.comparing(Info::name))
                .toList();
    }

    /// Subscribes the calling process to [ApplicationStopped] messages, one per application that
    /// stops from now on, until [#unsubscribe()] or the process exits. Subscribing twice is the
    /// same as once.
    ///
    /// @throws IllegalStateException outside a process
    public static void subscribe() {
        Pid self = Kernel.self();
        if (ApplicationMaster.SUBSCRIBERS.add(self)) {
            Kernel.current().onExit(() -> ApplicationMaster.SUBSCRIBERS.remove(self));
        }
    }

    /// Ends the calling process's subscription, if any. Messages already sent stay queued.
    ///
    /// @throws IllegalStateException outside a process
    public static void unsubscribe() {
        ApplicationMaster.SUBSCRIBERS.remove(Kernel.self());
    }
}
