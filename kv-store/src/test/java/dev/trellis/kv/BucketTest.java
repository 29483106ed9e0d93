package dev.trellis.kv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.otp.ChildSpec;
import dev.trellis.otp.Pid;
import dev.trellis.otp.testkit.OtpTest;
import org.junit.jupiter.api.Test;

/// The guide's test/kv/bucket_test.exs.
@OtpTest
class BucketTest {
    @Test
    void storesValuesByKey() {
        Pid bucket = Bucket.startLink().orThrow();
        assertThat(Bucket.get(bucket, "milk")).isEmpty();
        Bucket.put(bucket, "milk", "3");
        assertThat(Bucket.get(bucket, "milk")).contains("3");
    }

    @Test
    void deletesKeys() {
        Pid bucket = Bucket.startLink().orThrow();
        Bucket.put(bucket, "milk", "3");
        assertThat(Bucket.delete(bucket, "milk")).contains("3");
        assertThat(Bucket.get(bucket, "milk")).isEmpty();
        assertThat(Bucket.delete(bucket, "milk")).isEmpty();
    }

    @Test
    void areTemporaryWorkers() {
        assertThat(Bucket.childSpec().restart()).isEqualTo(ChildSpec.Restart.TEMPORARY);
        assertThat(Bucket.childSpec().type()).isEqualTo(ChildSpec.Type.WORKER);
    }
}
