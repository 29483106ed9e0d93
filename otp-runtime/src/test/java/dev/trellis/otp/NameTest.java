package dev.trellis.otp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/// register/2, whereis/1, unregister/1.
class NameTest {

    @Test
    void registerWhereisUnregister() {
        InProcess.run(() -> {
            Pid p = Kernel.spawnLink(Kernel::receive);
            Kernel.register("name_test_a", p);
            assertThat(Kernel.whereis("name_test_a")).contains(p);
            assertThat(Kernel.registered()).contains("name_test_a");
            assertThat(Kernel.processInfo(p).orElseThrow().registeredName()).isEqualTo("name_test_a");
            Kernel.send("name_test_a", "by name");
            Signals.awaitExit(p);
            assertThat(Kernel.whereis("name_test_a")).isEmpty();
            Pid q = Kernel.spawnLink(Kernel::receive);
            Kernel.register("name_test_a", q);
            assertThat(Kernel.unregister("name_test_a")).isTrue();
            assertThat(Kernel.unregister("name_test_a")).isFalse();
            assertThat(Kernel.whereis("name_test_a")).isEmpty();
            Kernel.send(q, "stop");
        });
    }

    @Test
    void registeringATakenNameASecondNameOrADeadPidFails() {
        InProcess.run(() -> {
            Pid p = Kernel.spawnLink(Kernel::receive);
            Pid q = Kernel.spawnLink(Kernel::receive);
            Kernel.register("name_test_b", p);
            assertThatThrownBy(() -> Kernel.register("name_test_b", q))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("already registered");
            assertThatThrownBy(() -> Kernel.register("name_test_c", p))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("already registered as name_test_b");
            Pid dead = Kernel.spawn(() -> {});
            Signals.awaitExit(dead);
            assertThatThrownBy(() -> Kernel.register("name_test_d", dead))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not alive");
            Kernel.send(p, "stop");
            Kernel.send(q, "stop");
            Signals.awaitExit(p);
        });
    }

    @Test
    void aNameIsFreedBeforeTheMonitorsOfItsProcessFire() {
        InProcess.run(() -> {
            for (int i = 0; i < 100; i++) {
                Pid p = Kernel.spawn(() -> Kernel.receive(Match.equalTo("stop")));
                Kernel.register("name_test_e", p);
                Ref ref = Kernel.monitor(p);
                Kernel.send(p, "stop");
                InProcess.expect(Signals.downOf(ref));
                assertThat(Kernel.whereis("name_test_e")).isEmpty();
            }
        });
    }

    @Test
    void sendingToAnUnknownNameFails() {
        assertThatThrownBy(() -> Kernel.send("name_test_nobody", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name_test_nobody");
    }

    @Test
    void theNameOfAProcessThatIsDeadButNotYetUnregisteredIsAlreadyFree() {
        // The exit path marks a process dead a moment before it frees the name; an entry held by
        // the never-alive EXTERNAL process stands for that moment.
        assertThat(Names.claim("name_test_dying", Proc.EXTERNAL)).isTrue();
        assertThat(Kernel.whereis("name_test_dying")).isEmpty();
        assertThat(Kernel.registered()).doesNotContain("name_test_dying");
        InProcess.run(() -> {
            Pid p = Kernel.spawnLink(Kernel::receive);
            Kernel.register("name_test_dying", p);
            Names.remove("name_test_dying", Proc.EXTERNAL); // the dying process's late remove
            assertThat(Kernel.whereis("name_test_dying")).contains(p);
            Kernel.send(p, "stop");
            Signals.awaitExit(p);
            assertThat(Kernel.whereis("name_test_dying")).isEmpty();
        });
    }
}
