package dev.trellis.kv;

import dev.trellis.otp.ChildSpec;
import dev.trellis.otp.StartOptions;
import dev.trellis.otp.StartResult;
import dev.trellis.otp.Supervisor;
import dev.trellis.otp.SupervisorFlags;
import java.util.List;

/// The top of the KV tree (the guide's `KV.Supervisor`): `one_for_all` over the
/// [BucketSupervisor], then the [KvRegistry].
///
/// ## Why this order and this strategy (the guide's "Supervision trees")
///
/// - The registry starts buckets through the bucket supervisor, so the bucket supervisor starts
///   first.
/// - If the registry dies, the map from names to buckets is lost; buckets nobody can reach must
///   not survive it. `one_for_all` restarts both, so the new registry and the (now empty) bucket
///   supervisor agree. `rest_for_one` would need the bucket supervisor after the registry, which
///   the first rule forbids.
/// - A crashing bucket touches neither: buckets are temporary children, and the registry only
///   monitors them.
///
/// ## Examples
///
/// ```java
/// Pid top = KvSupervisor.startLink(KvConfig.defaults()).orThrow();
/// Supervisor.whichChildren(top); // [BucketSupervisor, KvRegistry], in that order
/// ```
public final class KvSupervisor {
    private KvSupervisor() {}

    /// The two children, in start order.
    public static List<ChildSpec> children(KvConfig config) {
        return List.of(BucketSupervisor.childSpec(config), KvRegistry.childSpec(config));
    }

    /// Starts the tree linked to the caller, registered as `config.supervisor()`.
    public static StartResult startLink(KvConfig config) {
        return Supervisor.startLink(
                children(config),
                SupervisorFlags.oneForAll(),
                StartOptions.defaults().name(config.supervisor()).label("KvSupervisor"));
    }

    /// The child spec of the whole tree, to start it under another supervisor (or with the
    /// testkit's `startSupervised`).
    public static ChildSpec childSpec(KvConfig config) {
        return Supervisor.childSpec(
                KvSupervisor.class,
                children(config),
                SupervisorFlags.oneForAll(),
                StartOptions.defaults().name(config.supervisor()).label("KvSupervisor"));
    }
}
