package dev.trellis.observer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trellis.otp.Pid;
import dev.trellis.otp.StartOptions;
import dev.trellis.otp.Supervisor;
import dev.trellis.otp.SupervisorFlags;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/// One MBean per live supervisor, visible through the platform MBean server.
class SupervisorMBeansTest {
    static Observer observer;
    static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

    @BeforeAll
    static void start() throws IOException {
        DemoTree.start();
        observer = Observer.start(ObserverConfig.defaults().port(0));
    }

    @AfterAll
    static void stop() {
        observer.close();
        DemoTree.stop();
    }

    private static ObjectName name(String path) throws Exception {
        return new ObjectName(SupervisorMBeans.DOMAIN + ":type=Supervisor,path=" + ObjectName.quote(path));
    }

    @Test
    void eachSupervisorHasAnMBeanWithStrategyChildrenRestartsAndBudget() throws Exception {
        ObjectName top = name("demo_sup");
        assertThat(SERVER.isRegistered(top)).isTrue();
        assertThat(SERVER.getAttribute(top, "Pid"))
                .isEqualTo(DemoTree.whereis("demo_sup").toString());
        assertThat(SERVER.getAttribute(top, "Strategy")).isEqualTo("one_for_all");
        assertThat(SERVER.getAttribute(top, "Kind")).isEqualTo("SUPERVISOR");
        assertThat(SERVER.getAttribute(top, "MaxRestarts")).isEqualTo(3);
        assertThat(SERVER.getAttribute(top, "PeriodMillis")).isEqualTo(5000L);
        assertThat((Integer) SERVER.getAttribute(top, "RestartsLeft")).isBetween(0, 3);
        assertThat((Long) SERVER.getAttribute(top, "Restarts")).isNotNegative();
        assertThat(SERVER.getAttribute(top, "ChildCount")).isEqualTo(2);
        assertThat((String[]) SERVER.getAttribute(top, "Children"))
                .hasSize(2)
                .satisfies(c -> assertThat(c[0]).startsWith("workers <0."))
                .satisfies(c -> assertThat(c[1]).startsWith("counter <0.").contains("permanent"));
        assertThat(SERVER.getAttribute(name("demo_workers"), "Kind")).isEqualTo("DYNAMIC_SUPERVISOR");
    }

    @Test
    void aNewSupervisorGetsAnMBeanAndLosesItWhenItExits() throws Exception {
        Pid sup = Supervisor.start(
                        List.of(),
                        SupervisorFlags.restForOne(),
                        StartOptions.defaults().name("mbean_sup"))
                .orThrow();
        ObjectName n = name("mbean_sup");
        await().atMost(Duration.ofSeconds(5)).until(() -> SERVER.isRegistered(n));
        assertThat(SERVER.getAttribute(n, "Strategy")).isEqualTo("rest_for_one");
        Supervisor.stop(sup);
        await().atMost(Duration.ofSeconds(5)).until(() -> !SERVER.isRegistered(n));
    }
}
