package dev.trellis.otp;

import dev.trellis.otp.observe.TableInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/// A concurrent key-value table owned by a process (Erlang's ETS `set` table): any thread reads
/// it without locks and without messaging its owner, and it is deleted when the owner exits.
///
/// ## Examples
///
/// ```java
/// // inside the owning process:
/// Table<String, Pid> names = Table.create("kv_names", Table.Access.PROTECTED);
/// names.insert("shopping", bucket);
/// // from any process or thread:
/// Optional<Pid> b = names.lookup("shopping");
/// ```
///
/// ## Options
///
/// | access | reads | writes | Erlang |
/// |---|---|---|---|
/// | [Access#PUBLIC] | anyone | anyone | `public` |
/// | [Access#PROTECTED] (the usual choice) | anyone | the owner | `protected` (ETS's default) |
/// | [Access#PRIVATE] | the owner | the owner | `private` |
///
/// ## Outcomes
///
/// - A read or write not allowed by the access mode throws [IllegalStateException] (Erlang's
///   badarg), naming the table and its owner.
/// - After the owner exits, every operation throws [IllegalStateException]: the table and its
///   contents are gone, as an ETS table dies with its owner.
/// - Keys and values must not be `null`.
///
/// ## Differences from ETS
///
/// Objects are shared, not copied (ADR 0003): store immutable keys and values. Only the `set`
/// type exists (one value per key).
public final class Table<K, V> {
    /*
     * Invariants: `map` is written only while `deleted` is false (checked before each write; a
     * write racing the owner's exit may land in a map that is then cleared, which no reader can
     * see afterwards). The owner's exit hook runs before its monitors fire, so a process that
     * sees the owner's Down also sees the table gone. Reads are ConcurrentHashMap gets: lock-free.
     * Mirrors erts/emulator/beam/erl_db.c for the owner/access rules only.
     */
    private static final Map<Table<?, ?>, Boolean> ALL = new ConcurrentHashMap<>();

    /// Who may read and write a table.
    public enum Access {
        /// Anyone reads and writes.
        PUBLIC,
        /// Anyone reads; only the owner writes.
        PROTECTED,
        /// Only the owner reads and writes.
        PRIVATE
    }

    private final String name;
    private final Access access;
    private final Proc owner;
    private final ConcurrentHashMap<K, V> map = new ConcurrentHashMap<>();
    private volatile boolean deleted;

    private Table(String name, Access access, Proc owner) {
        this.name = name;
        this.access = access;
        this.owner = owner;
    }

    /// Creates a table owned by the calling process.
    ///
    /// @throws IllegalStateException outside a process
    public static <K, V> Table<K, V> create(String name, Access access) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(access, "access");
        Proc self = Kernel.current();
        Table<K, V> t = new Table<>(name, access, self);
        ALL.put(t, Boolean.TRUE);
        if (!self.onExit(t::drop)) {
            t.drop();
        }
        return t;
    }

    /// The value stored under `key`, if any.
    public Optional<V> lookup(K key) {
        checkRead();
        return Optional.ofNullable(map.get(key));
    }

    /// Whether `key` is present.
    public boolean contains(K key) {
        checkRead();
        return map.containsKey(key);
    }

    /// Stores `value` under `key`, replacing any previous value.
    public void insert(K key, V value) {
        checkWrite();
        map.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    }

    /// Stores `value` under `key` only if `key` is absent; `false` if it was present.
    public boolean insertNew(K key, V value) {
        checkWrite();
        return map.putIfAbsent(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value")) == null;
    }

    /// Removes `key`; `false` if it was absent.
    public boolean delete(K key) {
        checkWrite();
        return map.remove(key) != null;
    }

    /// Removes `key` only while it maps to `value` (ETS's `delete_object`); `false` otherwise.
    public boolean delete(K key, V value) {
        checkWrite();
        return map.remove(key, value);
    }

    /// The number of entries; under concurrent writes an estimate (not linearizable), as
    /// ConcurrentHashMap's size is.
    public int size() {
        checkRead();
        return map.size();
    }

    /// A snapshot of the entries (weakly consistent under concurrent writes).
    public List<Map.Entry<K, V>> entries() {
        checkRead();
        return map.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue()))
                .toList();
    }

    /// The table's name.
    public String name() {
        return name;
    }

    /// The owning process.
    public Pid owner() {
        return owner.pid;
    }

    /// The access mode.
    public Access access() {
        return access;
    }

    /// Whether the table still exists (its owner is alive).
    public boolean exists() {
        return !deleted;
    }

    /// Snapshots of every existing table, by name then owner (for tools).
    public static List<TableInfo> all() {
        List<TableInfo> infos = new ArrayList<>();
        for (Table<?, ?> t : ALL.keySet()) {
            if (!t.deleted) {
                infos.add(new TableInfo(
                        t.name, t.owner.pid, t.map.size(), t.access.name().toLowerCase(Locale.ROOT)));
            }
        }
        infos.sort(Comparator.comparing(TableInfo::name).thenComparing(TableInfo::owner));
        return infos;
    }

    private void drop() {
        deleted = true;
        map.clear();
        ALL.remove(this);
    }

    private void checkRead() {
        checkExists();
        if (access == Access.PRIVATE) {
            checkOwner("read");
        }
    }

    private void checkWrite() {
        checkExists();
        if (access != Access.PUBLIC) {
            checkOwner("write");
        }
    }

    private void checkExists() {
        if (deleted) {
            throw new IllegalStateException("table " + name + " no longer exists (its owner " + owner.pid + " exited)");
        }
    }

    private void checkOwner(String what) {
        if (!Kernel.inProcess() || Kernel.current() != owner) {
            throw new IllegalStateException("only the owner " + owner.pid + " may " + what + " "
                    + access.name().toLowerCase(Locale.ROOT) + " table " + name);
        }
    }

    @Override
    public String toString() {
        return "Table[" + name + ", owner " + owner.pid + ", " + access + (deleted ? ", deleted" : "") + "]";
    }
}
