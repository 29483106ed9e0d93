package dev.trellis.kv;

import dev.trellis.otp.Call;
import dev.trellis.otp.ChildSpec;
import dev.trellis.otp.Down;
import dev.trellis.otp.DynamicSupervisor;
import dev.trellis.otp.ExitException;
import dev.trellis.otp.GenServer;
import dev.trellis.otp.Init;
import dev.trellis.otp.Kernel;
import dev.trellis.otp.Name;
import dev.trellis.otp.Next;
import dev.trellis.otp.Pid;
import dev.trellis.otp.Ref;
import dev.trellis.otp.StartOptions;
import dev.trellis.otp.StartResult;
import dev.trellis.otp.Table;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/// The registry of buckets: names → bucket processes (the guide's `KV.Registry`, as it stands
/// after the chapters "Supervisor and Application", "Dynamic supervisors" and "Speeding up with
/// ETS").
///
/// [#create(String, String)] is a call to the registry process, which starts the bucket under
/// the [BucketSupervisor] (never linked to the registry), monitors it and records it in a
/// [Table] named like the registry. [#lookup(String, String)] reads that table directly from the
/// caller, so lookups never queue behind creates. When a bucket exits, for any reason, the
/// registry receives its `Down` and removes the name.
///
/// ## Examples
///
/// ```java
/// KvRegistry.lookup("kv_registry", "shopping");              // Optional.empty
/// Pid bucket = KvRegistry.create("kv_registry", "shopping").bucket();
/// KvRegistry.lookup("kv_registry", "shopping");              // Optional[bucket]
/// ```
///
/// ## How to supervise
///
/// Second child of the one_for_all [KvSupervisor], after the [BucketSupervisor] it depends on:
/// if the registry dies, every bucket goes with it and the new registry starts empty, so names
/// and buckets never disagree.
///
/// ## Outcomes
///
/// - `create` of a new name: [Created] with the new bucket; of an existing name: [Created] with
///   the existing bucket (the guide returns the pid either way); past the bucket limit:
///   [TooManyBuckets], and no existing bucket is touched.
/// - `lookup` returns empty for an unknown name, and also while the registry is restarting (its
///   table went with it; the buckets did too).
/// - A bucket that has exited is not found once the registry has handled its `Down` — a call to
///   the registry (any `create`) after the exit is enough to be sure (the guide's second race fix).
public final class KvRegistry implements GenServer<KvRegistry.Msg, KvRegistry.State> {
    /*
     * Race fixes of the guide's ETS chapter:
     *   1. create is a call, so a lookup after create returns sees the bucket;
     *   2. the Down handler deletes the table entry, so after a call to the registry that follows
     *      a bucket's exit, lookups no longer see it.
     * The table is "named" through TABLES (ETS named_table): registry name -> its current table.
     * A restarted registry replaces the entry; the old table was deleted with the old owner.
     */
    private static final ConcurrentHashMap<String, Table<String, Pid>> TABLES = new ConcurrentHashMap<>();

    /// The registry's protocol.
    sealed interface Msg {}

    /// `{:create, name}`.
    record Create(String name) implements Msg, Call<CreateResult> {}

    /// The outcome of [#create(String, String)].
    public sealed interface CreateResult {
        /// The bucket under the name.
        ///
        /// @throws ExitException `too_many_buckets` for [TooManyBuckets]
        Pid bucket();
    }

    /// The bucket registered under the name (new, or the one already there).
    public record Created(Pid bucket) implements CreateResult {}

    /// The bucket limit is reached; nothing was created.
    public record TooManyBuckets(int limit) implements CreateResult {
        @Override
        public Pid bucket() {
            throw new ExitException(dev.trellis.otp.ExitReason.other("too_many_buckets"), "create");
        }
    }

    /// The registry's state: the names table and monitor ref → name.
    record State(Table<String, Pid> names, Map<Ref, String> refs) {}

    private final String name;
    private final Name bucketSupervisor;
    private final int maxBuckets;

    private KvRegistry(KvConfig config) {
        this.name = config.registry();
        this.bucketSupervisor = Name.local(config.bucketSupervisor());
        this.maxBuckets = config.maxBuckets();
    }

    /// The child spec under [KvSupervisor].
    public static ChildSpec childSpec(KvConfig config) {
        return ChildSpec.worker(KvRegistry.class, () -> startLink(config));
    }

    /// Starts the registry linked to the caller, registered as `config.registry()`.
    public static StartResult startLink(KvConfig config) {
        return GenServer.startLink(
                new KvRegistry(config),
                StartOptions.defaults().name(config.registry()).label("KvRegistry"));
    }

    /// The bucket registered under `bucket` in the registry named `registry`, read from its
    /// table without a message to the registry.
    public static Optional<Pid> lookup(String registry, String bucket) {
        Table<String, Pid> table = TABLES.get(registry);
        if (table == null) {
            return Optional.empty();
        }
        try {
            return table.lookup(bucket);
        } catch (IllegalStateException gone) { // the registry is restarting; its buckets are gone too
            return Optional.empty();
        }
    }

    /// Ensures a bucket exists under `bucket`; a call to the registry.
    public static CreateResult create(String registry, String bucket) {
        return GenServer.call(Name.local(registry), new Create(bucket));
    }

    /// The number of buckets registered now.
    public static int count(String registry) {
        Table<String, Pid> table = TABLES.get(registry);
        return table == null || !table.exists() ? 0 : table.size();
    }

    @Override
    public Init<State> init() {
        Table<String, Pid> names = Table.create(name, Table.Access.PROTECTED);
        TABLES.put(name, names);
        return Init.ok(new State(names, new HashMap<>()));
    }

    @Override
    public Next<State> handle(Msg msg, State state) {
        return switch (msg) {
            case Create c -> {
                Optional<Pid> existing = state.names().lookup(c.name());
                if (existing.isPresent()) {
                    yield Next.reply(c, new Created(existing.get()), state);
                }
                yield switch (BucketSupervisor.startBucket(bucketSupervisor)) {
                    case DynamicSupervisor.Started started -> {
                        Pid bucket = started.pid();
                        state.refs().put(Kernel.monitor(bucket), c.name());
                        state.names().insert(c.name(), bucket);
                        yield Next.reply(c, new Created(bucket), state);
                    }
                    case DynamicSupervisor.MaxChildren m -> Next.reply(c, new TooManyBuckets(maxBuckets), state);
                    case DynamicSupervisor.Ignored i ->
                        throw new IllegalStateException("the bucket supervisor ignored a bucket start");
                    case DynamicSupervisor.Failed f -> throw new ExitException(f.reason(), "start bucket");
                };
            }
        };
    }

    @Override
    public Next<State> handleInfo(Object message, State state) throws Exception {
        if (message instanceof Down down) {
            String bucket = state.refs().remove(down.ref());
            if (bucket != null) {
                state.names().delete(bucket, down.pid());
            }
            return Next.noreply(state);
        }
        return GenServer.super.handleInfo(message, state);
    }

    @Override
    public String describe(State state) {
        return state.refs().size() + " buckets";
    }
}
