package dev.trellis.kv;

import dev.trellis.otp.Application;
import dev.trellis.otp.StartResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// The KV application (the guide's `KV` with `mod: {KV, []}`): starts and stops the
/// [KvSupervisor] tree as the application named `kv`.
///
/// ## Examples
///
/// ```java
/// Kv.start(KvConfig.defaults()).orThrow();
/// KvRegistry.create("kv_registry", "shopping");
/// Kv.stop();
/// ```
public final class Kv {
    /// The application's name.
    public static final String APPLICATION = "kv";

    private static final Logger LOG = LoggerFactory.getLogger(Kv.class);

    private Kv() {}

    /// Starts the application; logs what started.
    public static StartResult start(KvConfig config) {
        StartResult result = Application.start(APPLICATION, () -> KvSupervisor.startLink(config));
        if (result instanceof StartResult.Ok ok) {
            LOG.info(
                    "kv started: {} (one_for_all) -> [{}, {}], up to {} buckets",
                    config.supervisor(),
                    config.bucketSupervisor(),
                    config.registry(),
                    config.maxBuckets());
        }
        return result;
    }

    /// Stops the application: the tree shuts down in reverse start order. Returns `false` if it
    /// was not running.
    public static boolean stop() {
        return Application.stop(APPLICATION);
    }
}
