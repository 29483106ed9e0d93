package dev.trellis.otp;

import dev.trellis.otp.observe.RuntimeStatistics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/// Every live process, and the runtime's counters.
final class ProcessTable {
    private static final ConcurrentHashMap.KeySetView<Proc, Boolean> LIVE = ConcurrentHashMap.newKeySet(1024);
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

    static void add(Proc p) {
        LIVE.add(p);
        SPAWNS.increment();
    }

    static void remove(Proc p, ExitReason reason) {
        LIVE.remove(p);
        EXITS[kind(reason).ordinal()].increment();
    }

    static void sent() {
        MESSAGES.increment();
    }

    static List<Proc> snapshot() {
        return new ArrayList<>(LIVE);
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
