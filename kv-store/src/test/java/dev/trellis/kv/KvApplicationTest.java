package dev.trellis.kv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.otp.Application;
import dev.trellis.otp.Kernel;
import dev.trellis.otp.Pid;
import dev.trellis.otp.testkit.OtpTest;
import org.junit.jupiter.api.Test;

/// The application starts the tree under its names and stops it in order.
@OtpTest
class KvApplicationTest {

    @Test
    void theApplicationStartsAndStopsTheTree() {
        KvConfig config = KvConfig.unique("app");
        Pid top = Kv.start(config).orThrow();
        try {
            assertThat(Kernel.whereis(config.supervisor())).contains(top);
            assertThat(Application.whichApplications())
                    .extracting(Application.Info::name)
                    .contains(Kv.APPLICATION);
            Pid bucket = KvRegistry.create(config.registry(), "shopping").bucket();
            Bucket.put(bucket, "eggs", "12");
            assertThat(Bucket.get(
                            KvRegistry.lookup(config.registry(), "shopping").orElseThrow(), "eggs"))
                    .contains("12");
        } finally {
            assertThat(Kv.stop()).isTrue();
        }
        assertThat(Kernel.whereis(config.supervisor())).isEmpty();
        assertThat(Kernel.whereis(config.registry())).isEmpty();
        assertThat(Kernel.whereis(config.bucketSupervisor())).isEmpty();
        assertThat(KvRegistry.lookup(config.registry(), "shopping")).isEmpty();
        assertThat(Kv.stop()).isFalse();
    }
}
