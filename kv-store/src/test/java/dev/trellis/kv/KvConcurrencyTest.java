package dev.trellis.kv;

import static dev.trellis.otp.testkit.OtpAssertions.assertReceive;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.otp.Kernel;
import dev.trellis.otp.Match;
import dev.trellis.otp.Pid;
import dev.trellis.otp.testkit.OtpTest;
import dev.trellis.otp.testkit.Supervised;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/// Lookups stay consistent with creates under concurrency: a create that returned is visible to
/// every later lookup, from any caller.
@OtpTest
class KvConcurrencyTest {

    private record Done(int caller, List<String> problems) {}

    @Test
    void aHundredThousandBucketsCreatedAndLookedUpFromSixteenCallersStayConsistent() {
        KvConfig config = KvConfig.unique("concurrency");
        Supervised.startSupervised(KvSupervisor.childSpec(config));
        String registry = config.registry();
        int callers = 16;
        int each = 100_000 / callers;
        ConcurrentHashMap<String, Pid> created = new ConcurrentHashMap<>();
        Pid test = Kernel.self();
        for (int c = 0; c < callers; c++) {
            int caller = c;
            Kernel.spawnLink(() -> {
                List<String> problems = new ArrayList<>();
                ThreadLocalRandom random = ThreadLocalRandom.current();
                List<String> seen =
                        new ArrayList<>(created.keySet().stream().limit(1).toList());
                for (int i = 0; i < each; i++) {
                    String name = "b" + caller + "-" + i;
                    Pid bucket = KvRegistry.create(registry, name).bucket();
                    Optional<Pid> mine = KvRegistry.lookup(registry, name);
                    if (!mine.equals(Optional.of(bucket))) {
                        problems.add(name + " created as " + bucket + " but looked up as " + mine);
                    }
                    created.put(name, bucket);
                    if (i % 64 == 0) {
                        seen = new ArrayList<>(
                                created.keySet().stream().limit(256).toList());
                    }
                    String other = seen.isEmpty() ? name : seen.get(random.nextInt(seen.size()));
                    Optional<Pid> theirs = KvRegistry.lookup(registry, other);
                    if (!theirs.equals(Optional.ofNullable(created.get(other)))) {
                        problems.add(other + " was created as " + created.get(other) + " but looked up as " + theirs);
                    }
                }
                Kernel.send(test, new Done(caller, problems));
            });
        }
        for (int c = 0; c < callers; c++) {
            Done done = assertReceive(Match.type(Done.class), Duration.ofMinutes(2));
            assertThat(done.problems()).as("caller %d", done.caller()).isEmpty();
        }
        assertThat(KvRegistry.count(registry)).isEqualTo(100_000);
        assertThat(created).hasSize(100_000);
    }
}
