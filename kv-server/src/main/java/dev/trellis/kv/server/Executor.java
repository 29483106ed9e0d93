package dev.trellis.kv.server;

import dev.trellis.kv.Bucket;
import dev.trellis.kv.KvRegistry;
import dev.trellis.otp.ExitException;
import dev.trellis.otp.GenServer;
import dev.trellis.otp.Kernel;
import dev.trellis.otp.Match;
import dev.trellis.otp.Pid;
import java.time.Duration;
import java.util.Optional;

/// Runs a [Command] against the KV store and renders the guide's reply (the guide's
/// `KVServer.Command.run/1`).
final class Executor {
    /*
     * A bucket that dies between the lookup and the call (noproc), or while the call waits for
     * it (killed, shutdown, a crash: the call exits with the bucket's reason), answers NOT FOUND,
     * which is what a lookup a moment later would say; the guide's server would crash the
     * connection. A call that times out still crashes it. The zero-timeout receive re-raises the
     * connection's own exit if it was killed while waiting, so a killed connection never goes on
     * serving.
     */
    static final String OK = "OK\r\n";
    static final String NOT_FOUND = "NOT FOUND\r\n";
    static final String UNKNOWN = "UNKNOWN COMMAND\r\n";
    static final String TOO_MANY_BUCKETS = "ERROR too many buckets\r\n";

    private Executor() {}

    /// The reply to `command`, as ISO-8859-1 characters (one per byte).
    static String run(Command command, String registry) {
        try {
            return switch (command) {
                case Command.Create c ->
                    KvRegistry.create(registry, c.bucket()) instanceof KvRegistry.TooManyBuckets
                            ? TOO_MANY_BUCKETS
                            : OK;
                case Command.Get g ->
                    withBucket(registry, g.bucket(), b -> Bucket.get(b, g.key()).orElse("") + "\r\n" + OK);
                case Command.Put p ->
                    withBucket(registry, p.bucket(), b -> {
                        Bucket.put(b, p.key(), p.value());
                        return OK;
                    });
                case Command.Delete d ->
                    withBucket(registry, d.bucket(), b -> {
                        Bucket.delete(b, d.key());
                        return OK;
                    });
                case Command.Unknown u -> UNKNOWN;
            };
        } catch (ExitException bucketGone) {
            if (bucketGone.reason().equals(dev.trellis.otp.ExitReason.NOPROC)) {
                return NOT_FOUND;
            }
            throw bucketGone;
        }
    }

    private static String withBucket(String registry, String name, java.util.function.Function<Pid, String> action) {
        Optional<Pid> bucket = KvRegistry.lookup(registry, name);
        if (bucket.isEmpty()) {
            return NOT_FOUND;
        }
        try {
            return action.apply(bucket.get());
        } catch (ExitException bucketExited) {
            if (bucketExited.reason().equals(GenServer.TIMEOUT)) {
                throw bucketExited;
            }
            Kernel.receive(Match.none(), Duration.ZERO);
            return NOT_FOUND;
        }
    }
}
