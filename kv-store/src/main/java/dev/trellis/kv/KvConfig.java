package dev.trellis.kv;

import java.util.Objects;

/// The names and limits of one KV tree.
///
/// | field | default | meaning |
/// |---|---|---|
/// | `supervisor` | `kv_supervisor` | local name of the [KvSupervisor] |
/// | `bucketSupervisor` | `kv_bucket_supervisor` | local name of the [BucketSupervisor] |
/// | `registry` | `kv_registry` | local name of the [KvRegistry], also the name of its table |
/// | `maxBuckets` | 1,000,000 | buckets alive at once; a create past it fails with [KvRegistry.TooManyBuckets] |
///
/// Tests start a tree of their own with [#unique(String)], so they can run side by side.
///
/// @param supervisor the top supervisor's name
/// @param bucketSupervisor the bucket supervisor's name
/// @param registry the registry's name
/// @param maxBuckets the most buckets alive at once
public record KvConfig(String supervisor, String bucketSupervisor, String registry, int maxBuckets) {
    /// The default bucket limit.
    public static final int DEFAULT_MAX_BUCKETS = 1_000_000;

    public KvConfig {
        Objects.requireNonNull(supervisor, "supervisor");
        Objects.requireNonNull(bucketSupervisor, "bucketSupervisor");
        Objects.requireNonNull(registry, "registry");
        if (maxBuckets < 1) {
            throw new IllegalArgumentException("maxBuckets must be positive, got " + maxBuckets);
        }
    }

    /// The names the application uses.
    public static KvConfig defaults() {
        return new KvConfig("kv_supervisor", "kv_bucket_supervisor", "kv_registry", DEFAULT_MAX_BUCKETS);
    }

    /// A tree whose names all end in `_suffix`.
    public static KvConfig unique(String suffix) {
        return new KvConfig(
                "kv_supervisor_" + suffix,
                "kv_bucket_supervisor_" + suffix,
                "kv_registry_" + suffix,
                DEFAULT_MAX_BUCKETS);
    }

    /// The same tree with another bucket limit.
    public KvConfig maxBuckets(int limit) {
        return new KvConfig(supervisor, bucketSupervisor, registry, limit);
    }
}
