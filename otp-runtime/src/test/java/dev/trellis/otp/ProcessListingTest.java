package dev.trellis.otp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trellis.otp.observe.ObserverBackend;
import dev.trellis.otp.observe.ProcessStatus;
import dev.trellis.otp.observe.ProcessSummary;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/// The cheap process listing ([ObserverBackend#processes()]) and pid lookup.
@ExtendWith(SupervisionLeakCheck.class)
class ProcessListingTest {
    record Go() {}

    @Test
    void aRowHasTheNameLabelStatusMailboxAndParent() {
        InProcess.run(() -> {
            Pid test = Kernel.self();
            Pid p = Kernel.spawn(
                            () -> {
                                Kernel.register("listed", Kernel.self());
                                Kernel.receive(Match.type(Go.class));
                            },
                            SpawnOptions.defaults().label("listed process"))
                    .pid();
            Kernel.send(p, "one");
            Kernel.send(p, "two");
            Supervision.awaitQueued(p, 2);
            Supervision.awaitWaiting(p);
            ProcessSummary row = ObserverBackend.summary(p).orElseThrow();
            assertThat(row)
                    .isEqualTo(new ProcessSummary(p, "listed", "listed process", ProcessStatus.WAITING, 2, 0, test));
            assertThat(ObserverBackend.processes()).contains(row);
            Kernel.send(p, new Go());
            Supervision.awaitExit(p);
            assertThat(ObserverBackend.summary(p)).isEmpty();
        });
    }

    @Test
    void theListingHasEveryLiveProcess() {
        InProcess.run(() -> {
            List<Pid> spawned = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                spawned.add(Kernel.spawn(() -> Kernel.receive(Match.type(Go.class))));
            }
            Set<Pid> listed = new HashSet<>();
            for (ProcessSummary row : ObserverBackend.processes()) {
                listed.add(row.pid());
            }
            assertThat(listed).containsAll(spawned).contains(Kernel.self());
            for (Pid p : spawned) {
                Kernel.send(p, new Go());
            }
            for (Pid p : spawned) {
                Supervision.awaitExit(p);
            }
        });
    }

    @Test
    void findProcessReadsThePidNotationsAndRejectsOtherText() {
        InProcess.run(() -> {
            Pid self = Kernel.self();
            assertThat(ObserverBackend.findProcess(self.toString())).contains(self);
            assertThat(ObserverBackend.findProcess("0." + self.serial() + ".0")).contains(self);
            assertThat(ObserverBackend.findProcess(" " + self.serial() + " ")).contains(self);
            Pid dead = Kernel.spawn(() -> {});
            Supervision.awaitExit(dead);
            assertThat(ObserverBackend.findProcess(dead.toString())).isEmpty();
            for (String bad : List.of("", "abc", "<0.1.1>", "<1.2.0>", "-5", "99999999999999999999")) {
                assertThatThrownBy(() -> ObserverBackend.findProcess(bad))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("not a pid");
            }
        });
    }
}
