package dev.trellis.kv;

import static dev.trellis.otp.testkit.OtpAssertions.assertReceive;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trellis.otp.Agent;
import dev.trellis.otp.ChildInfo;
import dev.trellis.otp.ChildSpec;
import dev.trellis.otp.Down;
import dev.trellis.otp.DynamicSupervisor;
import dev.trellis.otp.ExitException;
import dev.trellis.otp.ExitReason;
import dev.trellis.otp.Kernel;
import dev.trellis.otp.Pid;
import dev.trellis.otp.Ref;
import dev.trellis.otp.Supervisor;
import dev.trellis.otp.testkit.OtpTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/// The code of docs/guide.md, run. Each `tag::name[]` region is a snippet of the guide;
/// [GuideSnippetsTest] fails if the guide and this file disagree.
@OtpTest
class GuideExamplesTest {

    @Test
    void bucketsAreTemporary() {
        // tag::temporary[]
        ChildSpec spec = Bucket.childSpec();
        assertThat(spec.restart()).isEqualTo(ChildSpec.Restart.TEMPORARY);
        // end::temporary[]
    }

    @Test
    void linksVersusMonitors() {
        // tag::monitor[]
        Pid bucket = Bucket.startLink().orThrow();
        Kernel.unlink(bucket); // the registry never links to its buckets…
        Ref ref = Kernel.monitor(bucket); // …it monitors them
        Agent.stop(bucket, ExitReason.SHUTDOWN, Duration.ofSeconds(5));
        Down down = assertReceive(m -> m instanceof Down d && d.ref() == ref ? d : null);
        assertThat(down.reason()).isEqualTo(ExitReason.SHUTDOWN); // and the caller lives on
        // end::monitor[]
    }

    @Test
    void theTreeIsOneForAll() {
        KvConfig config = KvConfig.unique("guide_tree");
        // tag::tree[]
        Pid top = KvSupervisor.startLink(config).orThrow();
        Pid shopping = KvRegistry.create(config.registry(), "shopping").bucket();
        List<ChildInfo> children = Supervisor.whichChildren(top);
        // KvSupervisor -> [BucketSupervisor -> [shopping], KvRegistry]
        assertThat(children).extracting(ChildInfo::id).containsExactly(BucketSupervisor.class, KvRegistry.class);
        Pid buckets = children.getFirst().pid().orElseThrow();
        assertThat(DynamicSupervisor.whichChildren(buckets))
                .extracting(c -> c.pid().orElseThrow())
                .containsExactly(shopping);
        // end::tree[]
        // tag::registry-crash[]
        Pid registry = Kernel.whereis(config.registry()).orElseThrow();
        Ref watch = Kernel.monitor(shopping);
        Kernel.exit(registry, ExitReason.KILL);
        assertReceive(m -> m instanceof Down d && d.ref() == watch ? d : null); // the bucket went too
        // end::registry-crash[]
    }

    @Test
    void aDeadBucketGivesACleanError() {
        KvConfig config = KvConfig.unique("guide_crash");
        KvSupervisor.startLink(config).orThrow();
        // tag::crash[]
        KvRegistry.create(config.registry(), "shopping");
        Pid bucket = KvRegistry.lookup(config.registry(), "shopping").orElseThrow();
        Agent.stop(bucket, ExitReason.SHUTDOWN, Duration.ofSeconds(5));
        assertThatThrownBy(() -> Bucket.put(bucket, "milk", "3")).isInstanceOf(ExitException.class);
        KvRegistry.create(config.registry(), "bogus"); // a call: the registry has seen the Down
        assertThat(KvRegistry.lookup(config.registry(), "shopping")).isEmpty();
        // end::crash[]
    }
}
