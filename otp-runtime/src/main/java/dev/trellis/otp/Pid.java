package dev.trellis.otp;

import org.jspecify.annotations.Nullable;

/// An opaque process identifier, printed the way Erlang prints a local pid: `<0.42.0>`.
///
/// A `Pid` stays valid after its process exits: sending to it does nothing, linking to it or
/// monitoring it reports [ExitReason#NOPROC]. Two pids are equal only if they name the same
/// process; numbers are never reused within a run.
public final class Pid implements Comparable<Pid> {
    /*
     * A Pid holds its process directly, so a send is one pointer dereference, not a table lookup.
     * When the process exits it drops its mailbox and bookkeeping, so a retained Pid keeps only a
     * small husk alive (as a dead pid costs nothing on the BEAM).
     */
    final long id;
    final Proc proc;

    Pid(long id, Proc proc) {
        this.id = id;
        this.proc = proc;
    }

    /// The number in `<0.N.0>`.
    public long serial() {
        return id;
    }

    @Override
    public int compareTo(Pid other) {
        return Long.compare(id, other.id);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof Pid p && p.id == id;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id);
    }

    @Override
    public String toString() {
        return "<0." + id + ".0>";
    }
}
