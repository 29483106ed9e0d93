/// The key-value store of Elixir's "Mix and OTP" guide, on the Trellis runtime: [Bucket]s
/// (agents holding a map), a [KvRegistry] that names and monitors them, a [BucketSupervisor]
/// that starts them as temporary children, and a one_for_all [KvSupervisor] over both,
/// started as the [Kv] application.
@NullMarked
package dev.trellis.kv;

import org.jspecify.annotations.NullMarked;
