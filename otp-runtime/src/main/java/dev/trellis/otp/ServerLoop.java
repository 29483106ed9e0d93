package dev.trellis.otp;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// The receive loop of a [GenServer] (Erlang's `gen_server:loop/7` with `proc_lib` start and
/// `sys` system messages), and the client side of call, start and stop.
final class ServerLoop<M, S> {
    /*
     * Mirrors gen_server.erl / proc_lib.erl / sys.erl:
     *   - start: spawn (linked for startLink) + monitor; the child registers its name, runs init,
     *     and sends InitAck (proc_lib:init_ack). On a failed start the starter also waits for the
     *     child's Down, so the name is free when start returns.
     *   - call: monitor the server (which also marks the caller's mailbox), send CallRequest,
     *     receive the Reply or the Down from the mark only; From's CAS makes a late reply vanish.
     *   - a start that times out unlinks (startLink) and kills the child (proc_lib:kill_flush).
     *   - an Exit from the parent while trapping exits: terminate(reason), exit(reason).
     *   - system requests are answered by the loop, also while suspended (when nothing else is but
     *     the parent's Exit, as sys:suspend_loop).
     *   - {stop, Reason, Reply, State}: terminate runs before the reply is sent, as gen_server.
     *   - a crashing callback: terminate(crash), one error report, exit(crash). An exit signal
     *     that is killing this process is not a callback failure: it exits without terminate.
     */
    static final Logger LOG = LoggerFactory.getLogger(GenServer.class);

    private final GenServer<M, S> server;
    private final Proc self;
    private final Match<Object> any = this::anyOrKilled;
    private final @Nullable Pid parent;
    private final @Nullable Name name;

    private S state;
    private @Nullable Duration idle;
    private @Nullable Object cont;
    private @Nullable Object lastMessage;
    private @Nullable From<?> currentFrom;
    private @Nullable Object currentRequest;
    private boolean suspended;
    private final long startedAt;
    private long calls;
    private long casts;
    private long infos;

    @SuppressWarnings("NullAway") // state is set by init before any use
    private ServerLoop(GenServer<M, S> server, Proc self, @Nullable Pid parent, @Nullable Name name) {
        this.server = server;
        this.self = self;
        this.parent = parent;
        this.name = name;
        this.startedAt = self.clock.nanoTime();
    }

    // ---- start --------------------------------------------------------------------------

    static StartResult start(GenServer<?, ?> server, StartOptions options, boolean link) {
        if (!Kernel.inProcess()) {
            if (link) {
                throw new IllegalStateException("startLink needs a calling process to link to");
            }
            return outside(() -> start(server, options, false));
        }
        Proc starter = Kernel.current();
        String label =
                options.label() != null ? options.label() : server.getClass().getName();
        SpawnOptions spawn = SpawnOptions.defaults().monitor().label(label);
        Spawned child = Kernel.spawn(() -> runServer(server, starter, options.name()), link ? spawn.link() : spawn);
        Ref ref = Objects.requireNonNull(child.monitor());
        Pid pid = child.pid();
        Match<Object> ackOrDown = m -> m instanceof GenMessages.InitAck a && a.pid() == pid
                ? a
                : m instanceof Down d && d.ref() == ref ? d : null;
        Object got = starter.receive(ackOrDown, Kernel.deadline(starter.clock, options.timeout()), starter.clock, ref);
        if (got == null) { // init took too long: kill it, as proc_lib:start does
            if (link) { // unlink first, or the kill comes back through the link (proc_lib:kill_flush)
                Kernel.unlink(pid);
                starter.receive(
                        m -> m instanceof Exit e && e.from().equals(pid) ? e : null,
                        Long.MIN_VALUE,
                        starter.clock,
                        null);
            }
            Kernel.exit(pid, ExitReason.KILL);
            starter.receive(m -> m instanceof Down d && d.ref() == ref ? d : null, Long.MAX_VALUE, starter.clock, null);
            flushAck(starter, pid);
            return new StartResult.Failed(GenServer.TIMEOUT);
        }
        if (got instanceof Down d) {
            return new StartResult.Failed(d.reason());
        }
        StartResult result = ((GenMessages.InitAck) got).result();
        if (result instanceof StartResult.Ok) {
            Kernel.demonitor(ref, true);
        } else { // the child is exiting: wait until its name is free
            starter.receive(m -> m instanceof Down d && d.ref() == ref ? d : null, Long.MAX_VALUE, starter.clock, null);
        }
        return result;
    }

    private static void flushAck(Proc starter, Pid pid) {
        starter.receive(
                m -> m instanceof GenMessages.InitAck a && a.pid() == pid ? a : null,
                Long.MIN_VALUE,
                starter.clock,
                null);
    }

    private static <M, S> void runServer(GenServer<M, S> server, Proc starter, @Nullable Name name) {
        Proc self = Kernel.current();
        if (name != null && !name.register(self.pid)) {
            Pid holder = name.whereis().orElse(self.pid);
            Kernel.deliver(starter, new GenMessages.InitAck(self.pid, new StartResult.AlreadyStarted(holder)));
            return;
        }
        ServerLoop<M, S> loop = new ServerLoop<>(server, self, self.parent, name);
        self.behaviour = loop;
        loop.init(starter);
    }

    private void init(Proc starter) {
        Init<S> init;
        try {
            init = server.init();
        } catch (Throwable t) {
            ExitReason reason = reasonOf(t);
            if (!reason.isClean() && !self.hasPendingExit()) {
                report("init", null, reason, t);
            }
            ack(starter, new StartResult.Failed(reason));
            throw new ExitException(reason);
        }
        switch (init) {
            case Init.Ok<S> ok -> {
                state = ok.state();
                idle = ok.idleTimeout();
                cont = ok.continueWith();
                ack(starter, new StartResult.Ok(self.pid));
                loop();
            }
            case Init.Ignore<S> i -> ack(starter, new StartResult.Ignore());
            case Init.Stop<S> s -> {
                ack(starter, new StartResult.Failed(s.reason()));
                throw new ExitException(s.reason());
            }
        }
    }

    private void ack(Proc starter, StartResult result) {
        Kernel.deliver(starter, new GenMessages.InitAck(self.pid, result));
    }

    // ---- loop ---------------------------------------------------------------------------

    private void loop() {
        for (; ; ) {
            Object c = cont;
            if (c != null) {
                cont = null;
                lastMessage = c;
                apply(() -> server.handleContinue(c, state), null);
                continue;
            }
            Object msg;
            if (suspended) {
                msg = Objects.requireNonNull(self.receiveAll(this::systemOnly, Long.MAX_VALUE));
            } else if (idle != null) {
                Object m = self.receiveAll(any, Kernel.deadline(self.clock, idle));
                msg = m != null ? m : new GenServer.Timeout();
            } else {
                msg = Objects.requireNonNull(self.receiveAll(any, Long.MAX_VALUE));
            }
            if (msg == Proc.KILLED) {
                return; // Proc.run exits with the pending reason; no terminate, as gen_server
            }
            self.checkPending(); // killed after this message arrived: exit without acting on it
            dispatch(msg);
        }
    }

    /// Every message; the [Proc#KILLED] that wakes this process when an exit signal kills it
    /// while it waits becomes the exit ([Proc#receiveAll]).
    private Object anyOrKilled(Object m) {
        if (m == Proc.KILLED) {
            self.checkPending();
        }
        return m;
    }

    /// What a suspended server still handles: system requests, and its parent's exit when it
    /// traps exits (sys:suspend_loop); and, as [#anyOrKilled], the wake-up of an exit signal.
    private @Nullable Object systemOnly(Object m) {
        if (m == Proc.KILLED) {
            self.checkPending();
        }
        if (m instanceof GenMessages.CallRequest c && c.request() instanceof GenMessages.SystemRequest) {
            return m;
        }
        return m instanceof Exit e && self.trapExit && e.from().equals(parent) ? m : null;
    }

    @SuppressWarnings("unchecked")
    private void dispatch(Object msg) {
        switch (msg) {
            case GenMessages.CallRequest c
            when c.request() instanceof GenMessages.SystemRequest sr -> system(sr, c.from());
            case GenMessages.CallRequest c -> {
                calls++;
                lastMessage = c.request();
                currentFrom = c.from();
                currentRequest = c.request();
                try {
                    apply(() -> server.handle((M) c.request(), state), c.from());
                } finally {
                    currentFrom = null;
                    currentRequest = null;
                }
            }
            case GenMessages.CastRequest c -> {
                casts++;
                lastMessage = c.request();
                apply(() -> server.handle((M) c.request(), state), null);
            }
            case Exit e
            when self.trapExit && e.from().equals(parent) -> {
                lastMessage = e;
                terminate(e.reason(), null);
                throw new ExitException(e.reason());
            }
            default -> {
                infos++;
                lastMessage = msg;
                apply(() -> server.handleInfo(msg, state), null);
            }
        }
    }

    @FunctionalInterface
    private interface Callback<S> {
        Next<S> run() throws Exception;
    }

    private void apply(Callback<S> callback, @Nullable From<?> from) {
        Next<S> next;
        try {
            next = callback.run();
        } catch (Throwable t) {
            ExitReason reason = reasonOf(t);
            if (self.hasPendingExit()) {
                throw new ExitException(reason); // killed by an exit signal: no terminate
            }
            terminate(reason, t);
            throw new ExitException(reason);
        }
        switch (next) {
            case Next.Reply<S> r -> {
                if (from != null) {
                    from.replyAny(r.value());
                }
                state = r.state();
                idle = r.idleTimeout();
                cont = r.continueWith();
            }
            case Next.NoReply<S> n -> {
                state = n.state();
                idle = n.idleTimeout();
                cont = n.continueWith();
            }
            case Next.Stop<S> s -> {
                state = s.state();
                try {
                    terminate(s.reason(), null);
                } finally { // the caller sees the reply only once terminate has run, as in gen_server
                    if (s.replies() && from != null) {
                        from.replyAny(s.value());
                    }
                }
                throw new ExitException(s.reason());
            }
        }
    }

    /// Runs the terminate callback, then reports the exit if it is not clean.
    private void terminate(ExitReason reason, @Nullable Throwable cause) {
        ExitReason finalReason = reason;
        Throwable reported = cause;
        try {
            server.terminate(reason, state);
        } catch (Throwable t) {
            finalReason = reasonOf(t);
            reported = t;
        }
        if (!finalReason.isClean()) {
            report("terminating", lastMessage, finalReason, reported);
        }
        if (finalReason != reason) {
            throw new ExitException(finalReason);
        }
    }

    private void report(String what, @Nullable Object last, ExitReason reason, @Nullable Throwable t) {
        self.crashReported = true;
        String who = name != null ? name + " (" + self.pid + ")" : self.pid.toString();
        String stateText;
        try {
            stateText = state == null ? "(none)" : server.describe(state);
        } catch (RuntimeException e) {
            stateText = "(describe failed: " + e + ")";
        }
        LOG.error(
                "GenServer {} {}\n** Last message: {}\n** State: {}\n** Reason: {}",
                who,
                what,
                last,
                stateText,
                reason,
                t);
    }

    private static ExitReason reasonOf(Throwable t) {
        return t instanceof ExitException e ? e.reason() : ExitReason.crash(t);
    }

    // ---- sys ----------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private void system(GenMessages.SystemRequest request, From<?> from) {
        switch (request) {
            case GenMessages.GetState g -> from.replyAny(state);
            case GenMessages.ReplaceState r -> {
                state = (S) r.replace().apply(state);
                from.replyAny(state);
            }
            case GenMessages.Suspend s -> {
                suspended = true;
                from.replyAny(Boolean.TRUE);
            }
            case GenMessages.Resume r -> {
                suspended = false;
                from.replyAny(Boolean.TRUE);
            }
            case GenMessages.GetStatistics g ->
                from.replyAny(new Sys.Statistics(
                        Duration.ofNanos(self.clock.nanoTime() - startedAt),
                        self.mailbox.received(),
                        calls,
                        casts,
                        infos,
                        suspended));
            case GenMessages.Terminate t -> {
                lastMessage = t;
                terminate(t.reason(), null);
                throw new ExitException(t.reason());
            }
        }
    }

    // ---- client side --------------------------------------------------------------------

    static <R> From<R> replyLater(Call<R> request) {
        Proc self = Kernel.lookup();
        ServerLoop<?, ?> loop = self != null && self.behaviour instanceof ServerLoop<?, ?> l ? l : null;
        if (loop == null || loop.currentRequest != request || loop.currentFrom == null) {
            throw new IllegalStateException("replyLater(" + request + ") outside the handling of that call");
        }
        @SuppressWarnings("unchecked")
        From<R> from = (From<R>) loop.currentFrom;
        return from;
    }

    @SuppressWarnings("unchecked")
    static <R> R call(Pid server, Call<?> request, Duration timeout) {
        Object reply = callAny(server, request, timeout);
        return (R) reply;
    }

    private static Object callAny(Pid server, Object request, Duration timeout) {
        if (!Kernel.inProcess()) {
            return outside(() -> callAny(server, request, timeout));
        }
        Proc self = Kernel.current();
        if (server.proc == self) {
            throw new ExitException(ExitReason.other("calling_self"), "call to self with " + request);
        }
        Ref ref = Kernel.monitor(server);
        From<Object> from = new From<>(self, ref);
        Kernel.deliver(server.proc, new GenMessages.CallRequest(from, request));
        Match<Object> replyOrDown = m -> m instanceof GenMessages.Reply r && r.from() == from
                ? r
                : m instanceof Down d && d.ref() == ref ? d : null;
        Object got = self.receive(replyOrDown, Kernel.deadline(self.clock, timeout), self.clock, ref);
        if (got == null) {
            if (from.abandon()) {
                Kernel.demonitor(ref, true);
                throw new ExitException(GenServer.TIMEOUT, "call to " + server + " with " + request);
            }
            // The reply won the race and is one enqueue away.
            got = self.receive(
                    m -> m instanceof GenMessages.Reply r && r.from() == from ? r : null,
                    Long.MAX_VALUE,
                    self.clock,
                    null);
        }
        if (got instanceof GenMessages.Reply r) {
            Kernel.demonitor(ref, true);
            Object value = r.value();
            if (value == null) {
                throw new IllegalStateException(server + " replied null to " + request);
            }
            return value;
        }
        from.abandon();
        throw new ExitException(
                ((Down) Objects.requireNonNull(got)).reason(), "call to " + server + " with " + request);
    }

    static void stop(Pid server, ExitReason reason, Duration timeout) {
        if (!Kernel.inProcess()) {
            outside(() -> {
                stop(server, reason, timeout);
                return Boolean.TRUE;
            });
            return;
        }
        Proc self = Kernel.current();
        if (server.proc == self) {
            throw new ExitException(ExitReason.other("calling_self"), "stop of self");
        }
        Ref ref = Kernel.monitor(server);
        Kernel.deliver(
                server.proc, new GenMessages.CallRequest(new From<>(self, ref), new GenMessages.Terminate(reason)));
        Down down = self.receive(
                m -> m instanceof Down d && d.ref() == ref ? d : null,
                Kernel.deadline(self.clock, timeout),
                self.clock,
                ref);
        if (down == null) {
            Kernel.demonitor(ref, true);
            throw new ExitException(GenServer.TIMEOUT, "stop " + server);
        }
        if (!down.reason().equals(reason)) {
            throw new ExitException(down.reason(), "stop " + server);
        }
    }

    /// Runs `action` in a temporary process, for client functions called from plain threads.
    static <T> T outside(Supplier<T> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Kernel.spawn(
                () -> {
                    try {
                        result.complete(action.get());
                    } catch (Throwable t) {
                        result.completeExceptionally(t);
                    }
                },
                SpawnOptions.defaults().label("client call"));
        try {
            return result.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a process", e);
        }
    }
}
