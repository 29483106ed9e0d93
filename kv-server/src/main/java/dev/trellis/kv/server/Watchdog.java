package dev.trellis.kv.server;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/// Closes connections that wait too long in one read (idle clients) or one write (clients that
/// stop reading), from one daemon thread, so that a read or a write arms no timer of its own.
///
/// A connection is closed between its timeout and its timeout plus one tick, where a tick is an
/// eighth of the shortest timeout watched (at least 2 ms, at most 250 ms): 300 s idle timeouts
/// fire within 250 ms of their deadline.
final class Watchdog {
    /*
     * Why not SO_TIMEOUT and a scheduled task per write: a timed read parks its virtual thread
     * with a timeout, which enqueues a task in the JDK's delay scheduler and wakes its thread;
     * with a timer per write as well, that was a sixth of the server's CPU under load. Here a
     * read or write costs two volatile writes (Watched#since), and one thread scans every tick.
     *
     * The thread parks without a timeout while nothing is watched; watch() unparks it.
     */
    private static final Set<Watched> WATCHED = ConcurrentHashMap.newKeySet();
    private static final long MIN_TICK = 2_000_000L;
    private static final long MAX_TICK = 250_000_000L;
    private static volatile long tick = MAX_TICK;
    private static final Thread THREAD =
            Thread.ofPlatform().daemon().name("kv-server-watchdog").unstarted(Watchdog::run);

    static {
        THREAD.start();
    }

    private Watchdog() {}

    /// One watched socket: what it waits on since when, and how to close it.
    static final class Watched {
        private final long idleTimeout;
        private final long writeTimeout;
        private final Runnable close;
        private volatile long readingSince;
        private volatile long writingSince;

        private Watched(long idleTimeout, long writeTimeout, Runnable close) {
            this.idleTimeout = idleTimeout;
            this.writeTimeout = writeTimeout;
            this.close = close;
        }

        /// Entering (`true`) or leaving a blocking read.
        void reading(boolean blocked) {
            readingSince = blocked ? stamp() : 0;
        }

        /// Entering (`true`) or leaving a blocking write.
        void writing(boolean blocked) {
            writingSince = blocked ? stamp() : 0;
        }

        /// Stops watching; the connection is closing anyway.
        void cancel() {
            WATCHED.remove(this);
        }

        private boolean overdue(long now) {
            long r = readingSince;
            long w = writingSince;
            return (r != 0 && now - r > idleTimeout) || (w != 0 && now - w > writeTimeout);
        }
    }

    /// Watches a connection with these timeouts (in nanoseconds); `close` unblocks it.
    static Watched watch(long idleTimeoutNanos, long writeTimeoutNanos, Runnable close) {
        Watched w = new Watched(idleTimeoutNanos, writeTimeoutNanos, close);
        long wanted = Math.clamp(Math.min(idleTimeoutNanos, writeTimeoutNanos) / 8, MIN_TICK, MAX_TICK);
        if (wanted < tick) {
            tick = wanted;
        }
        boolean wasEmpty = WATCHED.isEmpty();
        WATCHED.add(w);
        if (wasEmpty) {
            LockSupport.unpark(THREAD);
        }
        return w;
    }

    /// 0 means "not waiting", so a stamp is never 0.
    private static long stamp() {
        long now = System.nanoTime();
        return now == 0 ? 1 : now;
    }

    private static void run() {
        for (; ; ) {
            if (WATCHED.isEmpty()) {
                LockSupport.park();
                continue;
            }
            LockSupport.parkNanos(tick);
            long now = System.nanoTime();
            for (Watched w : WATCHED) {
                if (w.overdue(now)) {
                    WATCHED.remove(w);
                    w.close.run();
                }
            }
        }
    }
}
