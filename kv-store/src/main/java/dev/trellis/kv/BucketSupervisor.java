package dev.trellis.kv;

import dev.trellis.otp.ChildSpec;
import dev.trellis.otp.DynamicSupervisor;
import dev.trellis.otp.DynamicSupervisorFlags;
import dev.trellis.otp.Name;
import dev.trellis.otp.StartOptions;

/// The supervisor of the buckets: a [DynamicSupervisor] (the guide's `:simple_one_for_one`
/// `KV.BucketSupervisor`). It starts no child at boot; the registry starts one bucket per
/// `create`.
///
/// ## How to supervise
///
/// It is the first child of the [KvSupervisor], so it is running before the registry asks it for
/// buckets. Its `maxChildren` is the bucket limit of [KvConfig].
public final class BucketSupervisor {
    private BucketSupervisor() {}

    /// The child spec under [KvSupervisor]: named `config.bucketSupervisor()`, at most
    /// `config.maxBuckets()` buckets.
    public static ChildSpec childSpec(KvConfig config) {
        return DynamicSupervisor.childSpec(
                BucketSupervisor.class,
                DynamicSupervisorFlags.defaults().maxChildren(config.maxBuckets()),
                StartOptions.defaults().name(config.bucketSupervisor()).label("BucketSupervisor"));
    }

    /// Starts a bucket under the supervisor named `supervisor` (the guide's `start_bucket/0`).
    public static DynamicSupervisor.StartChildResult startBucket(Name supervisor) {
        return DynamicSupervisor.startChild(supervisor, Bucket.childSpec());
    }
}
