package dev.trellis.otp;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/// A local key-value process registry (Elixir's `Registry`): processes register themselves under
/// keys, with a value each, and anyone looks them up by key from any thread, without sending a
/// message to the registry.
///
/// A registry has [Keys#UNIQUE] keys (at most one live process per key: names) or
/// [Keys#DUPLICATE] keys (any number of entries per key: topics for pub/sub). It is a process
/// that owns its entries, spread over [RegistryOptions#partitions()] maps by the hash of the key.
/// An entry is removed when its process exits, before that process's links and monitors fire: a
/// process that receives the owner's [Down] finds the entry gone. When the registry process exits,
/// its entries go with it.
///
/// ## Examples
///
/// ```java
/// Pid names = Registry.start(RegistryOptions.unique()).orThrow();
/// Registry.register(names, "shopping", "list");          // Registered: the caller is "shopping"
/// Registry.lookup(names, "shopping");                     // [Entry[pid=<caller>, value=list]]
/// Registry.register(names, "shopping", "other");          // AlreadyRegistered(<caller>)
/// Registry.keys(names, Kernel.self());                    // [shopping]
/// Registry.unregister(names, "shopping");
/// Registry.lookup(names, "shopping");                     // []
/// ```
///
/// Pub/sub over a duplicate registry, dispatching to every subscriber:
///
/// ```java
/// Pid topics = Registry.start(RegistryOptions.duplicate()).orThrow();
/// Registry.register(topics, "news", "subscriber-1");     // in each subscriber
/// Registry.dispatch(topics, "news", entries -> {
///     for (Registry.Entry e : entries) Kernel.send(e.pid(), "extra! extra!");
/// });
/// ```
///
/// Naming servers by key with a via name (unique registries only):
///
/// ```java
/// Name bucket = Name.via(Registry.via(names), "bucket-42");
/// GenServer.start(new Bucket(), StartOptions.defaults().name(bucket));
/// GenServer.call(bucket, new Bucket.Get("milk"));
/// ```
///
/// ## How to supervise
///
/// Put [#childSpec(Object, RegistryOptions, StartOptions)] in a [Supervisor], usually with a local
/// name in the [StartOptions] so that clients and via names find the registry again after a
/// restart: address it as `Name.local("...")` everywhere. A restarted registry starts empty; the
/// processes registered in the old one were linked to it and exited with it, and re-register when
/// their own supervisors restart them.
///
/// ## Options
///
/// See [RegistryOptions] (`keys` required; `partitions`, default one per available processor) and
/// [StartOptions] (`name`; `label`, default `dev.trellis.otp.Registry`).
///
/// ## Outcomes
///
/// - [#register(Pid, Object, Object)]: [Registered]; for a unique key held by a live process,
///   [AlreadyRegistered] with that process (the caller itself if it holds it). A process holding
///   at least one key is linked to the registry.
/// - [#unregister(Pid, Object)]: removes every entry of the caller under the key; nothing if there
///   is none. The link goes with the caller's last key.
/// - [#lookup(Pid, Object)]: the entries under the key, in registration order; empty if none. Works
///   from any thread, including threads that are not processes.
/// - [#dispatch(Pid, Object, Consumer)]: calls the function with the entries in the calling
///   thread, or not at all if there are none.
/// - Every function, when no registry runs as the given pid or name (it exited, taking its entries
///   with it): [IllegalStateException]; given a live process that is not a registry:
///   [IllegalArgumentException]. `register` and `unregister` outside a process:
///   [IllegalStateException]. Keys and values must not be `null`.
///
/// ## Differences from Elixir
///
/// - Keys and values are compared with `equals` (Elixir: `===` for unique keys, match for
///   duplicate keys). No `match/4`, `select/2`, `update_value/3`, `unregister_match/4`,
///   listeners or `meta/2`.
/// - Partitions are maps of one registry process, not processes: keys are partitioned by hash in
///   both kinds of registry (Elixir partitions a duplicate registry by pid), so a lookup reads one
///   partition and `dispatch` calls the function once.
/// - `register` returns [Registered] (Elixir returns `{:ok, owner}`, the partition's pid).
/// - A via name registers the value [#VIA_VALUE] (Elixir: `nil`).
public final class Registry {
    /*
     * Maintainer notes.
     *
     * Client side only. The tables are RegistryTables (the invariants are there), owned by the
     * RegistryServer process; RegistryTables.LIVE maps each live registry's pid to its tables, so
     * every operation finds them without messaging the registry. Mirrors
     * lib/elixir/lib/registry.ex (register/3, unregister/2, lookup/2, dispatch/3, keys/2,
     * count/1, the via callbacks register_name/2 and whereis_name/1) and the owner links of
     * registry/partition.ex.
     */

    private Registry() {}

    /// Whether a key has at most one entry or any number (Elixir's `keys:` option).
    public enum Keys {
        /// At most one live entry per key: a name.
        UNIQUE,
        /// Any number of entries per key, even several of one process.
        DUPLICATE
    }

    /// One registration: the registered process and the value it registered with.
    ///
    /// @param pid the registered process
    /// @param value the value given to [#register(Pid, Object, Object)]
    public record Entry(Pid pid, Object value) {
        public Entry {
            Objects.requireNonNull(pid, "pid");
            Objects.requireNonNull(value, "value");
        }
    }

    /// The outcome of [#register(Pid, Object, Object)]: Elixir's `{:ok, owner} |
    /// {:error, {:already_registered, pid}}`.
    public sealed interface RegisterResult permits Registered, AlreadyRegistered {}

    /// The caller is registered under the key.
    public record Registered() implements RegisterResult {}

    /// The unique key is held by the live process `pid` (possibly the caller); nothing changed.
    public record AlreadyRegistered(Pid pid) implements RegisterResult {}

    /// The value of an entry registered through a via name (Elixir registers `nil`).
    public static final Object VIA_VALUE = new ViaValue();

    private record ViaValue() {
        @Override
        public String toString() {
            return "nil";
        }
    }

    // ---- starting -----------------------------------------------------------------------

    /// Starts a registry without a link.
    public static StartResult start(RegistryOptions options) {
        return start(options, StartOptions.defaults());
    }

    /// Starts a registry without a link, with `startOptions` (name, label).
    public static StartResult start(RegistryOptions options, StartOptions startOptions) {
        return GenServer.start(new RegistryServer(options), label(startOptions));
    }

    /// Starts a registry linked to the calling process.
    ///
    /// @throws IllegalStateException outside a process
    public static StartResult startLink(RegistryOptions options) {
        return startLink(options, StartOptions.defaults());
    }

    /// Starts a registry linked to the calling process, with `startOptions` (name, label).
    ///
    /// @throws IllegalStateException outside a process
    public static StartResult startLink(RegistryOptions options, StartOptions startOptions) {
        return GenServer.startLink(new RegistryServer(options), label(startOptions));
    }

    /// The spec of a registry as a child of a supervisor: a permanent worker.
    public static ChildSpec childSpec(Object id, RegistryOptions options, StartOptions startOptions) {
        return ChildSpec.worker(id, () -> startLink(options, startOptions));
    }

    /// Stops `registry` with `normal`; its entries are gone when this returns.
    ///
    /// @throws ExitException [ExitReason#NOPROC] if it is not alive
    public static void stop(Pid registry) {
        GenServer.stop(registry, ExitReason.NORMAL, Kernel.INFINITY);
    }

    /// Stops `registry` with `reason`, waiting at most `timeout` ([GenServer#stop(Pid, ExitReason,
    /// Duration)]).
    public static void stop(Pid registry, ExitReason reason, Duration timeout) {
        GenServer.stop(registry, reason, timeout);
    }

    // ---- registering --------------------------------------------------------------------

    /// Registers the calling process under `key` with `value` (see "Outcomes").
    ///
    /// @throws IllegalStateException outside a process, or if `registry` is not running
    public static RegisterResult register(Pid registry, Object key, Object value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Proc self = Kernel.current();
        return RegistryTables.of(registry).register(self, key, value);
    }

    /// Registers the calling process in the registry registered as `registry`.
    public static RegisterResult register(Name registry, Object key, Object value) {
        return register(resolve(registry), key, value);
    }

    /// Removes every entry of the calling process under `key`.
    ///
    /// @throws IllegalStateException outside a process, or if `registry` is not running
    public static void unregister(Pid registry, Object key) {
        Objects.requireNonNull(key, "key");
        Proc self = Kernel.current();
        RegistryTables.of(registry).unregister(self, key);
    }

    /// Removes every entry of the calling process under `key` in the registry registered as
    /// `registry`.
    public static void unregister(Name registry, Object key) {
        unregister(resolve(registry), key);
    }

    // ---- reading (any thread) -----------------------------------------------------------

    /// The entries under `key`, in registration order; empty if there are none. From any thread.
    public static List<Entry> lookup(Pid registry, Object key) {
        Objects.requireNonNull(key, "key");
        return RegistryTables.of(registry).lookup(key);
    }

    /// The entries under `key` in the registry registered as `registry`.
    public static List<Entry> lookup(Name registry, Object key) {
        return lookup(resolve(registry), key);
    }

    /// Calls `fun` with the entries under `key`, in the calling thread; does not call it if there
    /// are none. What `fun` throws propagates to the caller.
    public static void dispatch(Pid registry, Object key, Consumer<List<Entry>> fun) {
        Objects.requireNonNull(fun, "fun");
        List<Entry> entries = lookup(registry, key);
        if (!entries.isEmpty()) {
            fun.accept(entries);
        }
    }

    /// Calls `fun` with the entries under `key` in the registry registered as `registry`.
    public static void dispatch(Name registry, Object key, Consumer<List<Entry>> fun) {
        dispatch(resolve(registry), key, fun);
    }

    /// The keys `pid` is registered under, a key once per entry (so repeated in a duplicate
    /// registry), grouped by key in the order of their first registration; empty once `pid` is
    /// dead (as Elixir's `Registry.keys/2`). A process always sees its own registrations; while
    /// another process registers or unregisters, its keys may show the change a moment before or
    /// after [#lookup(Pid, Object)] does.
    public static List<Object> keys(Pid registry, Pid pid) {
        Objects.requireNonNull(pid, "pid");
        return RegistryTables.of(registry).keysOf(pid);
    }

    /// The keys `pid` is registered under in the registry registered as `registry`.
    public static List<Object> keys(Name registry, Pid pid) {
        return keys(resolve(registry), pid);
    }

    /// The number of entries in `registry`: a counter kept beside the entries (O(1), as Elixir's
    /// `Registry.count/1`), exact when no process is registering, unregistering or exiting. While
    /// one does, it may count the change a moment before or after [#lookup(Pid, Object)] sees it,
    /// and it still counts the entries of an owner that has just died until the owner's exit
    /// completes (before its `Down` is delivered).
    public static int count(Pid registry) {
        return RegistryTables.of(registry).count();
    }

    /// The number of entries in the registry registered as `registry`.
    public static int count(Name registry) {
        return count(resolve(registry));
    }

    // ---- via names ----------------------------------------------------------------------

    /// `registry` as a [ViaRegistry], for [Name#via(ViaRegistry, Object)]: a server started under
    /// `Name.via(Registry.via(registry), key)` registers itself under `key` with [#VIA_VALUE] and
    /// is found by the name until it exits.
    ///
    /// @throws IllegalArgumentException if `registry` has duplicate keys
    /// @throws IllegalStateException if `registry` is not running
    public static ViaRegistry via(Pid registry) {
        checkUnique(RegistryTables.of(registry));
        return new Via(registry);
    }

    /// The registry registered as `registry` as a [ViaRegistry]. The name is resolved each time
    /// the via name is used, so it follows a registry restarted under the same name.
    public static ViaRegistry via(Name registry) {
        Objects.requireNonNull(registry, "registry");
        return new Via(registry);
    }

    /// A registry addressed by pid or by name, naming processes by key.
    private record Via(Object registry) implements ViaRegistry {
        @Override
        public boolean registerName(Object key, Pid pid) {
            RegistryTables tables = tables();
            checkUnique(tables);
            Proc self = Kernel.current();
            if (self != pid.proc) {
                throw new IllegalArgumentException("a registry registers the calling process, not " + pid);
            }
            return tables.register(self, key, VIA_VALUE) instanceof Registered;
        }

        @Override
        public Optional<Pid> whereisName(Object key) {
            List<Entry> entries = tables().lookup(key);
            return entries.isEmpty()
                    ? Optional.empty()
                    : Optional.of(entries.getFirst().pid());
        }

        private RegistryTables tables() {
            return switch (registry) {
                case Pid pid -> RegistryTables.of(pid);
                case Name name -> RegistryTables.of(resolve(name));
                default -> throw new IllegalStateException("not a registry address: " + registry);
            };
        }

        @Override
        public String toString() {
            return "Registry.via(" + registry + ")";
        }
    }

    private static void checkUnique(RegistryTables tables) {
        if (tables.keys != Keys.UNIQUE) {
            throw new IllegalArgumentException(
                    "via names need a registry with unique keys; " + tables.pid + " has duplicate keys");
        }
    }

    private static Pid resolve(Name registry) {
        return registry.whereis().orElseThrow(() -> new IllegalStateException("no registry is running as " + registry));
    }

    private static StartOptions label(StartOptions options) {
        return options.label() != null ? options : options.label(Registry.class.getName());
    }
}
