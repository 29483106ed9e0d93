package dev.trellis.kv;

import static dev.trellis.otp.testkit.OtpAssertions.assertReceive;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trellis.otp.Agent;
import dev.trellis.otp.ChildInfo;
import dev.trellis.otp.Down;
import dev.trellis.otp.DynamicSupervisor;
import dev.trellis.otp.ExitException;
import dev.trellis.otp.ExitReason;
import dev.trellis.otp.Kernel;
import dev.trellis.otp.Name;
import dev.trellis.otp.Pid;
import dev.trellis.otp.Ref;
import dev.trellis.otp.Supervisor;
import dev.trellis.otp.testkit.OtpTest;
import dev.trellis.otp.testkit.Supervised;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/// The guide's test/kv/registry_test.exs, and the tree around the registry.
///
/// Each test starts a tree of its own under unique names with `startSupervised`, as the guide's
/// tests do, so it is stopped when the test ends and tests can run side by side.
@OtpTest
class KvRegistryTest {
    private static final AtomicInteger SERIAL = new AtomicInteger();

    private static KvConfig startTree(TestInfo info) {
        KvConfig config =
                KvConfig.unique(info.getTestMethod().orElseThrow().getName() + "_" + SERIAL.incrementAndGet());
        Supervised.startSupervised(KvSupervisor.childSpec(config));
        return config;
    }

    private static Down downOf(Ref ref) {
        return assertReceive(m -> m instanceof Down d && d.ref() == ref ? d : null);
    }

    @Test
    void spawnsBuckets(TestInfo info) {
        String registry = startTree(info).registry();
        assertThat(KvRegistry.lookup(registry, "shopping")).isEmpty();
        KvRegistry.create(registry, "shopping");
        Pid bucket = KvRegistry.lookup(registry, "shopping").orElseThrow();
        Bucket.put(bucket, "milk", "1");
        assertThat(Bucket.get(bucket, "milk")).contains("1");
    }

    @Test
    void removesBucketsOnExit(TestInfo info) {
        String registry = startTree(info).registry();
        KvRegistry.create(registry, "shopping");
        Pid bucket = KvRegistry.lookup(registry, "shopping").orElseThrow();
        Agent.stop(bucket);
        KvRegistry.create(registry, "bogus"); // a call: the registry has handled the Down since
        assertThat(KvRegistry.lookup(registry, "shopping")).isEmpty();
    }

    @Test
    void removesBucketOnCrash(TestInfo info) {
        String registry = startTree(info).registry();
        KvRegistry.create(registry, "shopping");
        Pid bucket = KvRegistry.lookup(registry, "shopping").orElseThrow();
        Agent.stop(bucket, ExitReason.SHUTDOWN, Duration.ofSeconds(5)); // a non-normal reason
        KvRegistry.create(registry, "bogus");
        assertThat(KvRegistry.lookup(registry, "shopping")).isEmpty();
    }

    @Test
    void bucketCanCrashAtAnyTime(TestInfo info) {
        String registry = startTree(info).registry();
        KvRegistry.create(registry, "shopping");
        Pid bucket = KvRegistry.lookup(registry, "shopping").orElseThrow();
        Agent.stop(bucket, ExitReason.SHUTDOWN, Duration.ofSeconds(5));
        assertThatThrownBy(() -> Bucket.put(bucket, "milk", "3"))
                .isInstanceOfSatisfying(
                        ExitException.class, e -> assertThat(e.reason()).isEqualTo(ExitReason.NOPROC));
    }

    @Test
    void createReturnsTheExistingBucketForAKnownName(TestInfo info) {
        String registry = startTree(info).registry();
        Pid first = KvRegistry.create(registry, "shopping").bucket();
        assertThat(KvRegistry.create(registry, "shopping").bucket()).isEqualTo(first);
        assertThat(KvRegistry.count(registry)).isEqualTo(1);
    }

    @Test
    void aCreatePastTheLimitFailsAndTouchesNoExistingBucket(TestInfo info) {
        KvConfig config = KvConfig.unique("limit_" + SERIAL.incrementAndGet()).maxBuckets(2);
        Supervised.startSupervised(KvSupervisor.childSpec(config));
        Pid a = KvRegistry.create(config.registry(), "a").bucket();
        Bucket.put(a, "k", "v");
        KvRegistry.create(config.registry(), "b");
        assertThat(KvRegistry.create(config.registry(), "c")).isEqualTo(new KvRegistry.TooManyBuckets(2));
        assertThat(KvRegistry.lookup(config.registry(), "c")).isEmpty();
        assertThat(Bucket.get(a, "k")).contains("v");
        assertThat(KvRegistry.create(config.registry(), "a").bucket()).isEqualTo(a);
    }

    @Test
    void aCrashingBucketIsNotRestartedAndTouchesNothingElse(TestInfo info) {
        KvConfig config = startTree(info);
        String registry = config.registry();
        Pid registryPid = Kernel.whereis(registry).orElseThrow();
        Pid keep = KvRegistry.create(registry, "keep").bucket();
        Bucket.put(keep, "k", "v");
        Pid doomed = KvRegistry.create(registry, "doomed").bucket();
        Ref ref = Kernel.monitor(doomed);
        Kernel.exit(doomed, ExitReason.KILL);
        downOf(ref);
        KvRegistry.create(registry, "sync");
        assertThat(KvRegistry.lookup(registry, "doomed")).isEmpty();
        assertThat(Kernel.whereis(registry)).contains(registryPid);
        assertThat(Bucket.get(keep, "k")).contains("v");
        assertThat(DynamicSupervisor.whichChildren(Name.local(config.bucketSupervisor())))
                .extracting(c -> c.pid().orElseThrow())
                .containsExactlyInAnyOrder(
                        keep, KvRegistry.lookup(registry, "sync").orElseThrow());
    }

    @Test
    void killingTheRegistryRestartsTheWholeTreeEmpty(TestInfo info) {
        KvConfig config = startTree(info);
        String registry = config.registry();
        Pid oldRegistry = Kernel.whereis(registry).orElseThrow();
        Pid oldBucketSup = Kernel.whereis(config.bucketSupervisor()).orElseThrow();
        Pid bucket = KvRegistry.create(registry, "shopping").bucket();
        Ref bucketRef = Kernel.monitor(bucket);
        Ref registryRef = Kernel.monitor(oldRegistry);
        Kernel.exit(oldRegistry, ExitReason.KILL);
        downOf(registryRef);
        assertThat(downOf(bucketRef).reason()).isEqualTo(ExitReason.SHUTDOWN);
        Pid newRegistry = awaitRestarted(registry, oldRegistry);
        assertThat(Kernel.whereis(config.bucketSupervisor()).orElseThrow()).isNotEqualTo(oldBucketSup);
        assertThat(KvRegistry.lookup(registry, "shopping")).isEmpty();
        Pid fresh = KvRegistry.create(registry, "shopping").bucket();
        assertThat(fresh).isNotEqualTo(bucket);
        Bucket.put(fresh, "milk", "2");
        assertThat(Bucket.get(fresh, "milk")).contains("2");
        assertThat(Kernel.whereis(registry)).contains(newRegistry);
    }

    @Test
    void theTreeListsAsTheGuidesObserverShowsIt(TestInfo info) {
        KvConfig config = startTree(info);
        KvRegistry.create(config.registry(), "shopping");
        KvRegistry.create(config.registry(), "groceries");
        Pid top = Kernel.whereis(config.supervisor()).orElseThrow();
        List<ChildInfo> children = Supervisor.whichChildren(top);
        assertThat(children).extracting(ChildInfo::id).containsExactly(BucketSupervisor.class, KvRegistry.class);
        assertThat(children.get(0).pid()).isEqualTo(Kernel.whereis(config.bucketSupervisor()));
        assertThat(children.get(1).pid()).isEqualTo(Kernel.whereis(config.registry()));
        List<ChildInfo> buckets =
                DynamicSupervisor.whichChildren(children.get(0).pid().orElseThrow());
        assertThat(buckets)
                .extracting(c -> c.pid().orElseThrow())
                .containsExactlyInAnyOrder(
                        KvRegistry.lookup(config.registry(), "shopping").orElseThrow(),
                        KvRegistry.lookup(config.registry(), "groceries").orElseThrow());
    }

    private static Pid awaitRestarted(String name, Pid old) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> Kernel.whereis(name).filter(p -> !p.equals(old)).isPresent());
        return Kernel.whereis(name).orElseThrow();
    }
}
