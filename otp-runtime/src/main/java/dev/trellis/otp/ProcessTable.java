package dev.trellis.otp;

import dev.trellis.otp.observe.RuntimeStatistics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/// Every live process, and the runtime's counters.
final class ProcessTable {
    /// Every live process by its thread: Kernel.lookup's fallback, when user code replaced the
    /// uncaught-exception handler that normally leads from a thread to its process.
    private static final ConcurrentHashMap<Thread, Proc> LIVE = new ConcurrentHashMap<>(1024);
    private static final AtomicLong SERIALS = new AtomicLong();
    private static final LongAdder SPAWNS = new LongAdder();
    private static final LongAdder MESSAGES = new LongAdder();
    private static final LongAdder[] EXITS = new LongAdder[RuntimeStatistics.ExitKind.values().length];

    static {
        for (int i = 0; i < EXITS.length; i++) {
            EXITS[i] = new LongAdder();
        }
        SERIALS.set(100); // <0.0.0> .. <0.99.0> stay free, as on the BEAM where they are system processes
    }

    private ProcessTable() {}

    static long nextSerial() {
        return SERIALS.incrementAndGet();
    }

    static void add(Proc p, Thread t) {
        LIVE.put(t, p);
        SPAWNS.increment();
    }

    static void remove(Proc p, ExitReason reason) {
        Thread t = p.thread();
        if (t != null) {
            LIVE.remove(t, p);
        }
        EXITS[kind(reason).ordinal()].increment();
    }

    static void sent() {
        MESSAGES.increment();
    }

    static @Nullable Proc of(Thread t) {
        return LIVE.get(t);
    }

    static List<Proc> snapshot() {
        return new ArrayList<>(LIVE.values());
    }

    static int count() {
        return LIVE.size();
    }

    static RuntimeStatistics statistics() {
        long[] exits = new long[EXITS.length];
        for (int i = 0; i < exits.length; i++) {
            exits[i] = EXITS[i].sum();
        }
        return new RuntimeStatistics(
                LIVE.size(), SPAWNS.sum(), exits, MESSAGES.sum(), Names.count(), TimerRef.pending());
    }

    static RuntimeStatistics.ExitKind kind(ExitReason reason) {
        return switch (reason) {
            case ExitReason.Normal n -> RuntimeStatistics.ExitKind.NORMAL;
            case ExitReason.Shutdown s -> RuntimeStatistics.ExitKind.SHUTDOWN;
            case ExitReason.Kill k -> RuntimeStatistics.ExitKind.KILLED;
            case ExitReason.Killed k -> RuntimeStatistics.ExitKind.KILLED;
            case ExitReason.NoProc n -> RuntimeStatistics.ExitKind.NOPROC;
            case ExitReason.NoConnection n -> RuntimeStatistics.ExitKind.NOCONNECTION;
            case ExitReason.Crash c -> RuntimeStatistics.ExitKind.CRASH;
            case ExitReason.Other o -> RuntimeStatistics.ExitKind.OTHER;
        };
    }
}
