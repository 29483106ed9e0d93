package dev.trellis.otp;

import java.time.Duration;
import java.util.PriorityQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/// A clock that moves only when told to: time-window behaviour (receive timeouts, `sendAfter`,
/// call and idle timeouts, restart intensity) is tested by advancing it, never by sleeping.
///
/// Give it to the root of the processes under test with [SpawnOptions#clock(Clock)]; everything
/// they spawn inherits it. [#advance(Duration)] runs, in the advancing thread and in deadline
/// order, every action that has come due, and wakes the processes whose timeouts expired.
///
/// ## Examples
///
/// ```java
/// ManualClock clock = new ManualClock();
/// Pid p = Kernel.spawn(() -> {
///     Optional<Object> m = Kernel.receive(Duration.ofSeconds(5)); // times out on the manual clock
/// }, SpawnOptions.defaults().clock(clock)).pid();
/// // wait until p is waiting (clock.pendingTimers() == 1), then:
/// clock.advance(Duration.ofSeconds(5));
/// ```
///
/// A process computes its deadline when it starts waiting, so a test advances the clock only once
/// the process waits: [#pendingTimers()] counts the timeouts and timers registered with this clock.
public final class ManualClock extends Clock {
    /*
     * Invariants: now only grows; entries run at most once, in (deadline, seq) order; actions run
     * outside the lock, so an action may schedule again (a timer re-arming itself).
     */
    private final ReentrantLock lock = new ReentrantLock();
    private final PriorityQueue<Entry> queue = new PriorityQueue<>();
    private long now;
    private long seq;

    /// A manual clock at time 0.
    public ManualClock() {}

    @Override
    public long nanoTime() {
        lock.lock();
        try {
            return now;
        } finally {
            lock.unlock();
        }
    }

    /// Moves time forward by `delta` and runs every action due by then.
    public void advance(Duration delta) {
        if (delta.isNegative()) {
            throw new IllegalArgumentException("a clock cannot go back: " + delta);
        }
        long target;
        lock.lock();
        try {
            target = deadline(now, delta.toNanos());
        } finally {
            lock.unlock();
        }
        for (; ; ) {
            Entry due;
            lock.lock();
            try {
                Entry head = queue.peek();
                if (head == null || head.deadline > target) {
                    now = target;
                    return;
                }
                due = queue.poll();
                now = Math.max(now, due.deadline);
                due.done = true;
            } finally {
                lock.unlock();
            }
            due.action.run();
        }
    }

    /// The number of timeouts and timers waiting for this clock.
    public int pendingTimers() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    void parkUntil(long deadline) {
        if (deadline == Long.MAX_VALUE) {
            LockSupport.park(this);
            return;
        }
        Thread waiter = Thread.currentThread();
        Scheduled wake = schedule(deadline, () -> LockSupport.unpark(waiter));
        try {
            if (nanoTime() < deadline) {
                LockSupport.park(this);
            }
        } finally {
            wake.cancel();
        }
    }

    @Override
    Scheduled schedule(long deadline, Runnable action) {
        Entry e;
        lock.lock();
        try {
            e = new Entry(deadline, seq++, action);
            if (deadline > now) {
                queue.add(e);
                return e;
            }
            e.done = true;
        } finally {
            lock.unlock();
        }
        action.run();
        return e;
    }

    @Override
    public String toString() {
        return "ManualClock[now=" + Duration.ofNanos(nanoTime()) + "]";
    }

    private final class Entry implements Comparable<Entry>, Scheduled {
        final long deadline;
        final long order;
        final Runnable action;
        boolean done; // guarded by lock

        Entry(long deadline, long order, Runnable action) {
            this.deadline = deadline;
            this.order = order;
            this.action = action;
        }

        @Override
        public boolean cancel() {
            lock.lock();
            try {
                if (done) {
                    return false;
                }
                done = true;
                queue.remove(this);
                return true;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public int compareTo(Entry o) {
            int c = Long.compare(deadline, o.deadline);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }
}
