package dev.trellis.otp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Spliterator;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/// The spliterator behind [Task#asyncStream(Iterable, Function, int, Duration)]: runs the inputs
/// through linked, monitored tasks, at most `maxConcurrency` at a time, and yields their values in
/// input order. Owner-only: every method runs in the process that created it.
final class TaskStream<A, B> implements Spliterator<B> {
    /*
     * Maintainer notes. Mirrors Task.Supervised.stream/6 of Elixir (ordered, on_timeout: :exit).
     *
     * State (owner only): `running` tasks, found by their Slot (replies) or monitor Ref (Downs);
     * `done` values by input index, waiting for their turn; `spawned` inputs started, `emitted`
     * values handed downstream. running.size() <= maxConcurrency at all times: a task leaves
     * `running` only once its value (or death) has been received, and fill() starts a new one
     * only below the bound.
     *
     * Per task: a reply is received, then the task is unlinked and demonitored with flush, and an
     * Exit it may already have delivered to a trapping owner is flushed, so a finished task leaves
     * nothing in the mailbox. Each task has a deadline on the owner's clock (spawn + timeout);
     * the receive waits until the earliest one.
     *
     * Stopping (close, failure, timeout): first, without receiving anything, abandon each slot
     * (the task will never reply unless it already did), unlink it and kill it; then wait for
     * each Down (its reply, if it claimed the slot first, is ahead of it and is flushed too, as is
     * an Exit for a trapping owner). If the owner itself is being killed (a linked task crashed
     * and it does not trap exits), receiving throws at once: only the first phase runs, the
     * tasks still die, and the owner's mailbox goes with it.
     *
     * Why no receive-marker here: several tasks are in flight and each spawn moves the mark, so a
     * reply from an older task can sit before the mark. Receives scan the mailbox; with unrelated
     * messages queued that costs O(queued) per result.
     */
    private record Running(long index, Pid pid, Ref ref, Task.Slot slot, long deadline) {}

    private final Proc owner;
    private final Iterable<A> source;
    private final Function<? super A, ? extends B> fun;
    private final int maxConcurrency;
    private final Duration timeout;
    private final Map<Task.Slot, Running> bySlot = new HashMap<>();
    private final Map<Ref, Running> byRef = new HashMap<>();
    private final Map<Long, Object> done = new HashMap<>();
    private @Nullable Iterator<A> inputs;
    private long spawned;
    private long emitted;
    private boolean closed;

    TaskStream(
            Proc owner,
            Iterable<A> source,
            Function<? super A, ? extends B> fun,
            int maxConcurrency,
            Duration timeout) {
        this.owner = owner;
        this.source = source;
        this.fun = fun;
        this.maxConcurrency = maxConcurrency;
        this.timeout = timeout;
    }

    @Override
    public boolean tryAdvance(Consumer<? super B> action) {
        checkOwner();
        if (closed) {
            return false;
        }
        try {
            for (; ; ) {
                Object value = done.remove(emitted);
                if (value != null) {
                    emitted++;
                    fill();
                    @SuppressWarnings("unchecked")
                    B b = (B) value;
                    action.accept(b);
                    return true;
                }
                fill();
                if (bySlot.isEmpty()) {
                    closed = true;
                    return false;
                }
                receiveOne();
            }
        } catch (RuntimeException | Error e) {
            try {
                stop();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /// Starts tasks for the next inputs while fewer than `maxConcurrency` run.
    private void fill() {
        Iterator<A> it = inputs;
        if (it == null) {
            it = source.iterator();
            inputs = it;
        }
        while (bySlot.size() < maxConcurrency && it.hasNext()) {
            A input = it.next();
            Task.Slot slot = new Task.Slot(owner);
            Spawned s = Kernel.spawn(
                    () -> Task.run(slot, () -> fun.apply(input)),
                    SpawnOptions.defaults().link().monitor().label("Task.asyncStream"));
            Running r = new Running(spawned++, s.pid(), s.ref(), slot, Kernel.deadline(owner.clock, timeout));
            bySlot.put(slot, r);
            byRef.put(r.ref(), r);
        }
    }

    /// Receives one reply or Down of a running task; throws if a task failed or timed out.
    private void receiveOne() {
        long deadline = Long.MAX_VALUE;
        for (Running r : bySlot.values()) {
            deadline = Math.min(deadline, r.deadline());
        }
        Object got = owner.receive(this::match, deadline, owner.clock, null);
        if (got == null) {
            Running late = bySlot.values().stream()
                    .min((x, y) -> Long.compare(x.deadline(), y.deadline()))
                    .orElseThrow();
            throw new ExitException(
                    GenServer.TIMEOUT,
                    "asyncStream task for input " + late.index() + " (" + late.pid() + ") ran longer than " + timeout);
        }
        if (got instanceof Task.Reply reply) {
            Running r = forget(Objects.requireNonNull(bySlot.get(reply.slot())));
            Kernel.unlink(r.pid());
            Kernel.demonitor(r.ref(), true);
            flushExit(r.pid());
            done.put(r.index(), reply.value());
            return;
        }
        Down down = (Down) got;
        Running r = forget(Objects.requireNonNull(byRef.get(down.ref())));
        flushExit(r.pid());
        throw new ExitException(down.reason(), "asyncStream task for input " + r.index() + " (" + r.pid() + ") exited");
    }

    private @Nullable Object match(Object m) {
        if (m instanceof Task.Reply r && bySlot.containsKey(r.slot())) {
            return r;
        }
        if (m instanceof Down d && byRef.containsKey(d.ref())) {
            return d;
        }
        return null;
    }

    private Running forget(Running r) {
        bySlot.remove(r.slot());
        byRef.remove(r.ref());
        return r;
    }

    /// Removes the Exit of the unlinked or dead task `pid` that a trapping owner may have queued.
    private void flushExit(Pid pid) {
        if (owner.trapExit) {
            owner.receive(
                    m -> m instanceof Exit e && e.from().equals(pid) ? e : null, Long.MIN_VALUE, owner.clock, null);
        }
    }

    /// Closes the stream: stops the tasks still running and removes their messages.
    void close() {
        checkOwner();
        stop();
    }

    private void stop() {
        closed = true;
        done.clear();
        if (bySlot.isEmpty()) {
            return;
        }
        List<Running> stopping = new ArrayList<>(bySlot.values());
        bySlot.clear();
        byRef.clear();
        boolean[] replied = new boolean[stopping.size()];
        for (int i = 0; i < stopping.size(); i++) { // no receive here: safe while the owner is being killed
            Running r = stopping.get(i);
            replied[i] = !r.slot().abandon();
            Kernel.unlink(r.pid());
            Kernel.exit(r.pid(), ExitReason.KILL);
        }
        for (int i = 0; i < stopping.size(); i++) {
            Running r = stopping.get(i);
            Ref ref = r.ref();
            owner.receive(m -> m instanceof Down d && d.ref() == ref ? d : null, Long.MAX_VALUE, owner.clock, null);
            if (replied[i]) {
                Task.Slot slot = r.slot();
                owner.receive(
                        m -> m instanceof Task.Reply p && p.slot() == slot ? p : null,
                        Long.MIN_VALUE,
                        owner.clock,
                        null);
            }
            flushExit(r.pid());
        }
    }

    private void checkOwner() {
        if (!Kernel.inProcess() || Kernel.current() != owner) {
            throw new IllegalStateException("a Task.asyncStream stream must be consumed and closed by the process "
                    + owner.pid + " that created it");
        }
    }

    @Override
    public @Nullable Spliterator<B> trySplit() {
        return null;
    }

    @Override
    public long estimateSize() {
        return Long.MAX_VALUE;
    }

    @Override
    public int characteristics() {
        return ORDERED | NONNULL;
    }
}
