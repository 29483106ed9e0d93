package dev.trellis.otp;

import java.util.Objects;
import java.util.Optional;

/// The name a server is started under: a local registered name (Erlang's `{local, Name}`) or a
/// key in a registry (Elixir's `{:via, Registry, {registry, key}}`).
///
/// ```java
/// GenServer.start(server, StartOptions.defaults().name(Name.local("kv_registry")));
/// GenServer.call(Name.local("kv_registry"), new Lookup("shopping"));
/// ```
public sealed interface Name {

    /// A name registered with [Kernel#register(String, Pid)].
    static Name local(String name) {
        return new Local(name);
    }

    /// A key in `registry`.
    static Name via(ViaRegistry registry, Object key) {
        return new Via(registry, key);
    }

    /// The process registered under this name now, if any.
    Optional<Pid> whereis();

    /// Registers `pid` under this name; `false` if the name is taken.
    boolean register(Pid pid);

    /// A locally registered name.
    record Local(String name) implements Name {
        public Local {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public Optional<Pid> whereis() {
            return Kernel.whereis(name);
        }

        @Override
        public boolean register(Pid pid) {
            return pid.proc.register(name) == null;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /// A key in a registry that can name processes.
    record Via(ViaRegistry registry, Object key) implements Name {
        public Via {
            Objects.requireNonNull(registry, "registry");
            Objects.requireNonNull(key, "key");
        }

        @Override
        public Optional<Pid> whereis() {
            return registry.whereisName(key);
        }

        @Override
        public boolean register(Pid pid) {
            return registry.registerName(key, pid);
        }

        @Override
        public String toString() {
            return "via(" + registry + ", " + key + ")";
        }
    }
}
