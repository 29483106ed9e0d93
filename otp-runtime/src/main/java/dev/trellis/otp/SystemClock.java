package dev.trellis.otp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// [System#nanoTime()], with the deadlines of timed receives and `sendAfter` timers kept by one
/// daemon platform thread. A deadline fires at most about a millisecond late, never early.
final class SystemClock extends Clock {
    /*
     * Why not LockSupport.parkNanos: a timed park of a virtual thread enqueues a task in the
     * JDK's delay scheduler and wakes that scheduler's thread every time, which under load (a
     * GenServer.call with its default 5 s timeout per request) cost a tenth of the CPU. Here a
     * timed receive parks without a timeout and leaves an entry for the timer thread.
     *
     * Timer thread (erts' timer wheel, simplified): producers push entries onto a lock-free stack
     * (`incoming`) and unpark the timer thread only when their deadline is earlier than the time
     * it will next look (`wakeAt`). A call's timeout lands behind earlier ones, so it costs one
     * CAS and no wake-up. The thread moves incoming entries into a heap, fires the due ones, then
     * publishes wakeAt, re-checks incoming and parks until wakeAt. Publish-then-recheck on its
     * side and push-then-read on the producers' side (all volatile) mean that either the thread
     * sees the new entry or the producer sees a wakeAt that makes it unpark the thread.
     * The thread sleeps one grain past the earliest deadline, so wake-ups are at least a grain
     * apart however many deadlines there are, and each fires every entry due by then.
     *
     * An entry is PENDING until it fires (FIRED) or is cancelled (CANCELLED), once, by CAS.
     * Cancelled entries stay in the heap until their deadline (lazy deletion): a receive that
     * got its message cancels its entry without touching the heap.
     */
    static final SystemClock INSTANCE = new SystemClock();

    private static final Logger LOG = LoggerFactory.getLogger(SystemClock.class);
    /// The timer thread wakes at most once per grain: a deadline fires up to a grain late.
    private static final long GRAIN = 1_000_000L;
    /// `wakeAt` while the timer thread is running: producers need not unpark it.
    private static final long AWAKE = Long.MIN_VALUE;

    private final AtomicReference<@Nullable Entry> incoming = new AtomicReference<>();
    private volatile long wakeAt = AWAKE;
    private final Thread timer;

    private SystemClock() {
        timer = Thread.ofPlatform().daemon().name("trellis-timers").unstarted(this::runTimers);
        timer.start();
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    void parkUntil(long deadline) {
        if (deadline == Long.MAX_VALUE) {
            LockSupport.park(this);
            return;
        }
        if (deadline <= System.nanoTime()) {
            return;
        }
        Entry e = add(new Entry(deadline, Thread.currentThread(), null));
        LockSupport.park(this);
        e.cancel();
    }

    @Override
    Scheduled schedule(long deadline, Runnable action) {
        return add(new Entry(deadline, null, action));
    }

    private Entry add(Entry e) {
        Entry head;
        do {
            head = incoming.get();
            e.next = head;
        } while (!incoming.compareAndSet(head, e));
        if (e.deadline < wakeAt) {
            LockSupport.unpark(timer);
        }
        return e;
    }

    private void runTimers() {
        PriorityQueue<Entry> heap = new PriorityQueue<>((a, b) -> Long.compare(a.deadline, b.deadline));
        for (; ; ) {
            for (Entry e = incoming.getAndSet(null); e != null; ) {
                Entry next = e.next;
                e.next = null;
                heap.add(e);
                e = next;
            }
            long now = System.nanoTime();
            Entry top;
            while ((top = heap.peek()) != null && top.deadline <= now) {
                heap.poll();
                top.fire();
            }
            long next = top == null ? Long.MAX_VALUE : Clock.deadline(top.deadline, GRAIN);
            wakeAt = next;
            if (incoming.get() == null) {
                if (next == Long.MAX_VALUE) {
                    LockSupport.park(this);
                } else {
                    LockSupport.parkNanos(this, next - now);
                }
            }
            wakeAt = AWAKE;
        }
    }

    /// A deadline: unparks `thread`, or runs `action`, unless cancelled first.
    private static final class Entry implements Scheduled {
        private static final int PENDING = 0;
        private static final int DONE = 1;
        private static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(Entry.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final long deadline;
        private final @Nullable Thread thread;
        private final @Nullable Runnable action;
        private @Nullable Entry next;

        @SuppressWarnings("UnusedVariable") // accessed through STATE
        private volatile int state;

        Entry(long deadline, @Nullable Thread thread, @Nullable Runnable action) {
            this.deadline = deadline;
            this.thread = thread;
            this.action = action;
        }

        @Override
        public boolean cancel() {
            return STATE.compareAndSet(this, PENDING, DONE);
        }

        void fire() {
            if (!STATE.compareAndSet(this, PENDING, DONE)) {
                return;
            }
            if (thread != null) {
                LockSupport.unpark(thread);
            } else if (action != null) {
                try {
                    action.run();
                } catch (Throwable t) {
                    LOG.error("timer action failed", t);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "Clock.system()";
    }
}
