package dev.trellis.otp;

import dev.trellis.otp.observe.RuntimeEvent;
import dev.trellis.otp.observe.Subscription;
import dev.trellis.otp.observe.SupervisionCounts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// The event feed behind [dev.trellis.otp.observe.ObserverBackend#subscribe]: crashes, restarts
/// and intensity exceeded, published by the processes they happen in.
final class RuntimeEvents {
    /*
     * Cost model: with no subscriber, publishing is a volatile read of the listener array (and, for
     * restarts and intensity, one LongAdder increment); no event is allocated. With subscribers,
     * the event is numbered (one getAndIncrement), written to its slot of the ring of recent
     * events (lock-free: slot = sequence % RECENT), and handed to each listener on the publishing
     * process's own thread. Listeners must therefore be quick and must not block (queue the event
     * for another thread); one that throws is logged and stays subscribed.
     *
     * The ring keeps only events published while someone listened: a tool sees the history from
     * its subscription on, as Erlang's observer sees the events after it attaches.
     */
    /// How many recent events are kept.
    static final int RECENT = dev.trellis.otp.observe.ObserverBackend.RECENT_EVENTS;

    private static final Logger LOG = LoggerFactory.getLogger(RuntimeEvents.class);
    private static final CopyOnWriteArrayList<Consumer<? super RuntimeEvent>> LISTENERS = new CopyOnWriteArrayList<>();
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final AtomicReferenceArray<@Nullable RuntimeEvent> RING = new AtomicReferenceArray<>(RECENT);
    private static final LongAdder RESTARTS = new LongAdder();
    private static final LongAdder INTENSITY_EXCEEDED = new LongAdder();

    private RuntimeEvents() {}

    /// From the exit path of `p`, for a reason that is not clean.
    static void crashed(Proc p, @Nullable String name, ExitReason reason) {
        if (LISTENERS.isEmpty()) {
            return;
        }
        long seq = SEQUENCE.getAndIncrement();
        publish(new RuntimeEvent.ProcessCrashed(seq, Instant.now(), p.pid, name, p.label, reason));
    }

    /// From a supervisor that has just restarted child `id`.
    static void restarted(
            SupervisorViews.View sup,
            Object id,
            @Nullable Pid oldPid,
            Pid newPid,
            int restarts,
            @Nullable ExitReason reason) {
        RESTARTS.increment();
        if (LISTENERS.isEmpty()) {
            return;
        }
        long seq = SEQUENCE.getAndIncrement();
        publish(new RuntimeEvent.ChildRestarted(
                seq,
                Instant.now(),
                sup.pid,
                SupervisorViews.path(sup.pid),
                SupervisorViews.idText(id),
                oldPid,
                newPid,
                restarts,
                reason));
    }

    /// From a supervisor whose restart of child `id` exceeded its intensity.
    static void intensityExceeded(SupervisorViews.View sup, Object id) {
        INTENSITY_EXCEEDED.increment();
        if (LISTENERS.isEmpty()) {
            return;
        }
        long seq = SEQUENCE.getAndIncrement();
        publish(new RuntimeEvent.IntensityExceeded(
                seq,
                Instant.now(),
                sup.pid,
                SupervisorViews.path(sup.pid),
                SupervisorViews.idText(id),
                sup.maxRestarts,
                sup.period));
    }

    private static void publish(RuntimeEvent event) {
        RING.set((int) (event.sequence() % RECENT), event);
        for (Consumer<? super RuntimeEvent> listener : LISTENERS) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("event listener {} failed on {}", listener, event, e);
            }
        }
    }

    static Subscription subscribe(Consumer<? super RuntimeEvent> listener) {
        // A wrapper per subscription, so the same listener subscribed twice is removed once per close.
        Consumer<RuntimeEvent> own = listener::accept;
        LISTENERS.add(own);
        return () -> LISTENERS.remove(own);
    }

    /// The recent events still in the ring, oldest first.
    static List<RuntimeEvent> recent() {
        long end = SEQUENCE.get();
        List<RuntimeEvent> events = new ArrayList<>();
        for (long s = Math.max(0, end - RECENT); s < end; s++) {
            RuntimeEvent e = RING.get((int) (s % RECENT));
            if (e != null && e.sequence() == s) {
                events.add(e);
            }
        }
        return events;
    }

    static SupervisionCounts counts() {
        return new SupervisionCounts(RESTARTS.sum(), INTENSITY_EXCEEDED.sum());
    }
}
