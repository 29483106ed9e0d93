package dev.trellis.kv;

import dev.trellis.otp.Agent;
import dev.trellis.otp.ChildSpec;
import dev.trellis.otp.Pid;
import dev.trellis.otp.StartOptions;
import dev.trellis.otp.StartResult;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/// A bucket: an [Agent] holding a map of keys to values (the guide's `KV.Bucket`).
///
/// ## Examples
///
/// ```java
/// Pid bucket = Bucket.startLink().orThrow();
/// Bucket.put(bucket, "milk", "3");
/// Bucket.get(bucket, "milk");    // Optional[3]
/// Bucket.delete(bucket, "milk"); // Optional[3], and the key is gone
/// ```
///
/// ## How to supervise
///
/// Buckets are `temporary` children of the [BucketSupervisor] ([#childSpec()]): a bucket that
/// crashes is not restarted, because the registry could not know the new one — the name would
/// point at an empty bucket nobody can reach. The registry forgets the crashed bucket instead.
///
/// ## Outcomes
///
/// Every function raises [dev.trellis.otp.ExitException] (`noproc`) when the bucket is gone, as
/// the guide's `catch_exit KV.Bucket.put(bucket, "milk", 3)` shows; nothing hangs.
public final class Bucket {
    /*
     * Mirrors the guide's lib/kv/bucket.ex (`use Agent, restart: :temporary`). The map lives in
     * the agent and is mutated only there; callers receive immutable Strings.
     */
    private Bucket() {}

    /// `restart: temporary`, as the guide's `use Agent, restart: :temporary`.
    public static ChildSpec childSpec() {
        return ChildSpec.worker(Bucket.class, Bucket::startLink).restart(ChildSpec.Restart.TEMPORARY);
    }

    /// Starts an empty bucket linked to the caller.
    public static StartResult startLink() {
        return Agent.startLink(
                HashMap<String, String>::new, StartOptions.defaults().label("Bucket"));
    }

    /// The value stored under `key`.
    public static Optional<String> get(Pid bucket, String key) {
        return Agent.get(bucket, (Map<String, String> m) -> Optional.ofNullable(m.get(key)));
    }

    /// Stores `value` under `key`.
    public static void put(Pid bucket, String key, String value) {
        Agent.update(bucket, (Map<String, String> m) -> {
            m.put(key, value);
            return m;
        });
    }

    /// Removes `key`; returns the value it had.
    public static Optional<String> delete(Pid bucket, String key) {
        return Agent.getAndUpdate(
                bucket, (Map<String, String> m) -> Agent.result(Optional.ofNullable(m.remove(key)), m));
    }
}
