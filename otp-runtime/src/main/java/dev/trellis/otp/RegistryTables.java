package dev.trellis.otp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/// The entries of one [Registry]: its partitions (key to entries) and, for each process that
/// registered, the keys it holds. Read from any thread without locks; written by the registering
/// processes themselves and by their exit hooks.
final class RegistryTables {
    /*
     * Maintainer notes.
     *
     * Layout: `partitions` are ConcurrentHashMaps from key to an immutable List<Entry> (one entry
     * for a unique key, registration order for a duplicate key), chosen by the key's hash. A
     * lookup is one map get: lock-free, no message to the registry process. Writers replace the
     * list inside compute/computeIfPresent, so readers always see a whole list, never a partial
     * update. `size` counts entries and is adjusted inside those same lambdas (run once each).
     *
     * Owners: `owners` maps each process that ever registered here (and is alive) to the keys it
     * holds. An Owner is created, changed and dropped only on its own process's thread: by
     * register/unregister (which act on the caller) and by its exit hook (which runs in the dying
     * process). Others only read it (keys/2), under its lock. One exit hook per (registry,
     * process), installed with its Owner, so a process that registers and unregisters often does
     * not pile up hooks.
     *
     * Death of an owner: Proc's exit path runs the hook after `dead` is set and before links and
     * monitors fire, so whoever sees the owner's Down (or Exit) also sees its entries gone. Between
     * `dead` and the hook, a unique key of the dead owner is treated as free: lookups filter it out,
     * keys/2 of the dead owner is empty and register replaces it; the late hook then removes only
     * entries that still belong to the dead pid (Elixir's "unique registrations even if the
     * partition is delayed"). `size` still counts them until the hook: count/1 is a counter, not a
     * snapshot of the maps (as Elixir's, which sums the ETS tables' sizes).
     *
     * Atomicity: each register, unregister and lookup is one map operation on one key, and a dead
     * flag hides all of an owner's unique keys at once, so these and owner exits are linearizable
     * (RegistryLinearizabilityTest). keys/2 and count/1 read the owner's list and the counter,
     * which a racing register or unregister of another process updates a moment before or after
     * the map: they are exact at rest, not atomic with the maps.
     *
     * Links: a process is linked to the registry process while it holds at least one key (linked
     * on its first key, unlinked when its last key goes), as Elixir links owners to partitions,
     * so that a registry that dies takes its registered processes with it and no process goes on
     * believing it is registered. The registry traps exits, so owners' exits do not kill it.
     *
     * Death of the registry: its exit hook sets `closed`, removes it from LIVE and clears the
     * maps; every later operation throws IllegalStateException. A write racing the close may land
     * in a cleared map, which nobody can read any more (the same rule as Table).
     *
     * Lock order: a compute lambda may take a Proc's lock (isAlive) while holding a map bin lock;
     * no code holds a Proc lock while touching these maps (exit hooks run outside it), so there is
     * no cycle.
     *
     * Cost: registering or unregistering under a duplicate key copies that key's entry list
     * (O(entries of that key)); lookups are O(1) plus the list.
     */
    private static final Map<Pid, RegistryTables> LIVE = new ConcurrentHashMap<>();

    final Pid pid;
    final Registry.Keys keys;
    private final List<ConcurrentHashMap<Object, List<Registry.Entry>>> partitions;
    private final Map<Proc, Owner> owners = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();
    private volatile boolean closed;

    private RegistryTables(Pid pid, RegistryOptions options) {
        this.pid = pid;
        this.keys = options.keys();
        List<ConcurrentHashMap<Object, List<Registry.Entry>>> maps = new ArrayList<>(options.partitions());
        for (int i = 0; i < options.partitions(); i++) {
            maps.add(new ConcurrentHashMap<>());
        }
        this.partitions = List.copyOf(maps);
    }

    /// Creates the tables of the registry process `registry` (the caller), deleted when it exits.
    static RegistryTables open(Proc registry, RegistryOptions options) {
        RegistryTables tables = new RegistryTables(registry.pid, options);
        LIVE.put(registry.pid, tables);
        if (!registry.onExit(tables::close)) {
            tables.close();
        }
        return tables;
    }

    /// The tables of the registry process `registry`.
    ///
    /// @throws IllegalStateException if no registry runs as `registry` (it exited)
    /// @throws IllegalArgumentException if `registry` is alive but is not a registry
    static RegistryTables of(Pid registry) {
        RegistryTables tables = LIVE.get(registry);
        if (tables != null) {
            return tables;
        }
        if (Kernel.isAlive(registry)) {
            throw new IllegalArgumentException(registry + " is not a registry");
        }
        throw new IllegalStateException(
                "registry " + registry + " is not running: its entries went away when it exited");
    }

    // ---- writes (by the calling process, for itself) -------------------------------------

    Registry.RegisterResult register(Proc self, Object key, Object value) {
        checkOpen();
        Owner owner = owners.get(self);
        if (owner == null) {
            Owner created = new Owner(self);
            if (!self.onExit(() -> ownerExited(created))) {
                throw new IllegalStateException("process " + self.pid + " is not alive");
            }
            owners.put(self, created);
            owner = created;
        }
        Registry.Entry entry = new Registry.Entry(self.pid, value);
        ConcurrentHashMap<Object, List<Registry.Entry>> partition = partition(key);
        if (keys == Registry.Keys.UNIQUE) {
            List<Registry.Entry> mine = List.of(entry);
            List<Registry.Entry> now = partition.compute(key, (k, old) -> {
                if (old == null) {
                    size.incrementAndGet();
                    return mine;
                }
                return old.getFirst().pid().proc.isAlive() ? old : mine; // a dead holder's key is free
            });
            if (now != mine) {
                return new Registry.AlreadyRegistered(
                        Objects.requireNonNull(now).getFirst().pid());
            }
        } else {
            partition.compute(key, (k, old) -> {
                size.incrementAndGet();
                return append(old, entry);
            });
        }
        if (owner.add(key)) {
            Kernel.link(pid); // its first key here
        }
        return new Registry.Registered();
    }

    void unregister(Proc self, Object key) {
        checkOpen();
        Owner owner = owners.get(self);
        if (owner == null || !owner.remove(key)) {
            return;
        }
        removeEntries(key, self.pid);
        if (owner.isEmpty()) {
            Kernel.unlink(pid); // its last key here
        }
    }

    /// The exit hook of `owner`: runs in the dying owner before its links and monitors fire.
    private void ownerExited(Owner owner) {
        if (closed) {
            return;
        }
        for (Object key : owner.distinctKeys()) {
            removeEntries(key, owner.proc.pid);
        }
        owners.remove(owner.proc, owner);
    }

    private void removeEntries(Object key, Pid ownerPid) {
        partition(key).computeIfPresent(key, (k, old) -> {
            List<Registry.Entry> rest =
                    old.stream().filter(e -> !e.pid().equals(ownerPid)).toList();
            size.addAndGet(rest.size() - old.size());
            return rest.isEmpty() ? null : rest;
        });
    }

    private static List<Registry.Entry> append(@Nullable List<Registry.Entry> old, Registry.Entry entry) {
        if (old == null) {
            return List.of(entry);
        }
        Registry.Entry[] all = old.toArray(new Registry.Entry[old.size() + 1]);
        all[old.size()] = entry;
        return Collections.unmodifiableList(Arrays.asList(all));
    }

    /// Deletes everything: the exit hook of the registry process.
    private void close() {
        closed = true;
        LIVE.remove(pid, this);
        for (ConcurrentHashMap<Object, List<Registry.Entry>> p : partitions) {
            p.clear();
        }
        owners.clear();
        size.set(0);
    }

    // ---- reads (any thread) ---------------------------------------------------------------

    List<Registry.Entry> lookup(Object key) {
        checkOpen();
        List<Registry.Entry> entries = partition(key).get(key);
        if (entries == null) {
            return List.of();
        }
        if (keys == Registry.Keys.UNIQUE && !entries.getFirst().pid().proc.isAlive()) {
            return List.of(); // its holder is dead; the exit hook is about to remove it
        }
        return entries;
    }

    List<Object> keysOf(Pid owner) {
        checkOpen();
        Owner o = owners.get(owner.proc);
        return o == null || !o.proc.isAlive() ? List.of() : o.snapshot(); // dead: its hook is about to drop it
    }

    int count() {
        checkOpen();
        return size.get();
    }

    /// The number of entries in each partition (for tests and tools).
    List<Integer> partitionSizes() {
        checkOpen();
        return partitions.stream()
                .map(p -> p.values().stream().mapToInt(List::size).sum())
                .toList();
    }

    private ConcurrentHashMap<Object, List<Registry.Entry>> partition(Object key) {
        int n = partitions.size();
        if (n == 1) {
            return partitions.getFirst();
        }
        int h = key.hashCode();
        return partitions.get(Math.floorMod(h ^ (h >>> 16), n));
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(
                    "registry " + pid + " is not running: its entries went away when it exited");
        }
    }

    @Override
    public String toString() {
        return "Registry[" + pid + ", " + keys.name().toLowerCase(java.util.Locale.ROOT) + ", partitions="
                + partitions.size() + ", entries=" + size.get() + (closed ? ", closed" : "") + "]";
    }

    /// The keys one process holds, in first-registration order, with their number of entries.
    private static final class Owner {
        final Proc proc;
        private final LinkedHashMap<Object, Integer> counts = new LinkedHashMap<>();
        private int total;

        Owner(Proc proc) {
            this.proc = proc;
        }

        /// Adds one entry under `key`; `true` if it is the owner's first entry.
        synchronized boolean add(Object key) {
            counts.merge(key, 1, Integer::sum);
            return ++total == 1;
        }

        /// Removes every entry under `key`; `false` if there was none.
        synchronized boolean remove(Object key) {
            Integer n = counts.remove(key);
            if (n == null) {
                return false;
            }
            total -= n;
            return true;
        }

        synchronized boolean isEmpty() {
            return total == 0;
        }

        synchronized List<Object> distinctKeys() {
            return List.copyOf(counts.keySet());
        }

        synchronized List<Object> snapshot() {
            List<Object> all = new ArrayList<>(total);
            for (Map.Entry<Object, Integer> e : counts.entrySet()) {
                for (int i = 0; i < e.getValue(); i++) {
                    all.add(e.getKey());
                }
            }
            return List.copyOf(all);
        }
    }
}
