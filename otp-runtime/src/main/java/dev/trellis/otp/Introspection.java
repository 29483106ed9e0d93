package dev.trellis.otp;

import dev.trellis.otp.internal.RuntimeAccess;
import dev.trellis.otp.observe.ProcessStatus;
import dev.trellis.otp.observe.ProcessSummary;
import dev.trellis.otp.observe.RuntimeEvent;
import dev.trellis.otp.observe.Subscription;
import dev.trellis.otp.observe.SupervisionCounts;
import dev.trellis.otp.observe.SupervisorSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/// The runtime's side of [dev.trellis.otp.observe.ObserverBackend], installed into
/// [RuntimeAccess] when this class is initialized.
final class Introspection implements RuntimeAccess.Introspector {
    static {
        RuntimeAccess.install(new Introspection());
    }

    private Introspection() {}

    /// What `p` is doing, as far as a look from outside can tell.
    static ProcessStatus status(Proc p) {
        if (p.isExiting()) {
            return ProcessStatus.EXITING;
        }
        if (p.mailbox.isWaiting()) {
            return ProcessStatus.WAITING;
        }
        Thread t = p.thread();
        Thread.State s = t == null ? Thread.State.NEW : t.getState();
        return s == Thread.State.RUNNABLE || s == Thread.State.NEW ? ProcessStatus.RUNNING : ProcessStatus.BLOCKED;
    }

    private static ProcessSummary summary(Proc p) {
        return new ProcessSummary(
                p.pid, p.registeredName(), p.label, status(p), p.mailbox.size(), p.mailbox.received(), p.parent);
    }

    @Override
    public List<ProcessSummary> processes() {
        List<Proc> live = ProcessTable.snapshot();
        List<ProcessSummary> rows = new ArrayList<>(live.size());
        for (Proc p : live) {
            rows.add(summary(p));
        }
        return rows;
    }

    @Override
    public Optional<ProcessSummary> summary(Pid pid) {
        return pid.proc.isAlive() ? Optional.of(summary(pid.proc)) : Optional.empty();
    }

    @Override
    public Optional<Pid> find(long serial) {
        for (Proc p : ProcessTable.snapshot()) {
            if (p.pid.id == serial) {
                return Optional.of(p.pid);
            }
        }
        return Optional.empty();
    }

    @Override
    public List<SupervisorSnapshot> supervisors(int childLimit) {
        return SupervisorViews.all(childLimit);
    }

    @Override
    public Optional<SupervisorSnapshot> supervisor(Pid pid, int childLimit) {
        return SupervisorViews.get(pid, childLimit);
    }

    @Override
    public long supervisionVersion() {
        return SupervisorViews.version();
    }

    @Override
    public SupervisionCounts supervisionCounts() {
        return RuntimeEvents.counts();
    }

    @Override
    public Subscription subscribe(Consumer<? super RuntimeEvent> listener) {
        return RuntimeEvents.subscribe(listener);
    }

    @Override
    public List<RuntimeEvent> recentEvents() {
        return RuntimeEvents.recent();
    }
}
