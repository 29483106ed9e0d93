package dev.trellis.observer;

import dev.trellis.otp.Pid;
import dev.trellis.otp.observe.ChildSnapshot;
import dev.trellis.otp.observe.ObserverBackend;
import dev.trellis.otp.observe.SupervisorSnapshot;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// One [SupervisorMXBean] per live supervisor in the platform MBean server, named
/// `dev.trellis.otp:type=Supervisor,path="kv_supervisor"` (supervisors sharing a path get
/// `,instance=2`, `3`, …). [#sync] registers new supervisors and unregisters gone ones; the
/// Observer calls it on each tick.
final class SupervisorMBeans implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SupervisorMBeans.class);
    static final String DOMAIN = "dev.trellis.otp";
    private static final int CHILDREN_SHOWN = 100;

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final Map<Pid, ObjectName> registered = new HashMap<>();

    /// Brings the MBeans in line with `live`. Called from one thread at a time.
    synchronized void sync(List<SupervisorSnapshot> live) {
        Set<Pid> alive = new HashSet<>();
        for (SupervisorSnapshot s : live) {
            alive.add(s.pid());
            if (!registered.containsKey(s.pid())) {
                register(s);
            }
        }
        registered.entrySet().removeIf(e -> {
            if (alive.contains(e.getKey())) {
                return false;
            }
            unregister(e.getValue());
            return true;
        });
    }

    private void register(SupervisorSnapshot s) {
        for (int instance = 1; instance < 1000; instance++) {
            try {
                ObjectName name = new ObjectName(DOMAIN + ":type=Supervisor,path=" + ObjectName.quote(s.path())
                        + (instance == 1 ? "" : ",instance=" + instance));
                server.registerMBean(new Bean(s), name);
                registered.put(s.pid(), name);
                return;
            } catch (InstanceAlreadyExistsException taken) {
                // another live supervisor has this path: try the next instance number
            } catch (JMException e) {
                LOG.warn("cannot register the MBean of supervisor {} ({})", s.path(), s.pid(), e);
                return;
            }
        }
    }

    private void unregister(ObjectName name) {
        try {
            server.unregisterMBean(name);
        } catch (InstanceNotFoundException gone) {
            // someone else removed it
        } catch (JMException e) {
            LOG.warn("cannot unregister {}", name, e);
        }
    }

    @Override
    public synchronized void close() {
        registered.values().forEach(this::unregister);
        registered.clear();
    }

    /// Reads the supervisor's snapshot on each access; the last one once it is gone.
    private static final class Bean implements SupervisorMXBean {
        private final Pid pid;
        private volatile SupervisorSnapshot last;

        Bean(SupervisorSnapshot first) {
            this.pid = first.pid();
            this.last = first;
        }

        private SupervisorSnapshot now() {
            SupervisorSnapshot s =
                    ObserverBackend.supervisor(pid, CHILDREN_SHOWN).orElse(last);
            last = s;
            return s;
        }

        @Override
        public String getPid() {
            return pid.toString();
        }

        @Override
        public String getPath() {
            return now().path();
        }

        @Override
        public String getKind() {
            return now().kind().name();
        }

        @Override
        public String getStrategy() {
            return now().strategy();
        }

        @Override
        public int getMaxRestarts() {
            return now().maxRestarts();
        }

        @Override
        public long getPeriodMillis() {
            return now().period().toMillis();
        }

        @Override
        public int getRestartsLeft() {
            return now().restartsLeft();
        }

        @Override
        public long getRestarts() {
            return now().restarts();
        }

        @Override
        public int getChildCount() {
            return now().childCount();
        }

        @Override
        public String[] getChildren() {
            return now().children().stream().map(Bean::describe).toArray(String[]::new);
        }

        private static String describe(ChildSnapshot c) {
            Pid p = c.pid();
            @Nullable Object exit = c.lastExit();
            return c.id() + " " + (p != null ? p.toString() : c.state().name().toLowerCase(java.util.Locale.ROOT))
                    + " " + c.type() + " " + c.restart() + " restarts=" + c.restarts()
                    + (exit != null ? " lastExit=" + exit : "");
        }
    }
}
