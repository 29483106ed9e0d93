package dev.trellis.otp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/// The code examples of the Javadoc of GenServer, Next, StartResult, Sys, Call and Name, copied
/// here (adapted only as far as needed to compile) so that they keep working. Init and From have
/// no code examples.
@ExtendWith(SupervisionLeakCheck.class)
@SuppressWarnings("SameNameButDifferent") // each example has its own Msg, Get and Put, as in the Javadoc
class GenServerExamplesTest {

    // ---- GenServer: the Counter -----------------------------------------------------------------

    @SuppressWarnings("MissingOverride") // as in the Javadoc
    static final class Counter implements GenServer<Counter.Msg, Integer> {
        sealed interface Msg {}

        record Increment() implements Msg {}

        record Get() implements Msg, Call<Integer> {}

        static Pid start() {
            return GenServer.start(new Counter()).orThrow();
        }

        static void increment(Pid counter) {
            GenServer.cast(counter, new Increment());
        }

        static int get(Pid counter) {
            return GenServer.call(counter, new Get());
        }

        public Init<Integer> init() {
            return Init.ok(0);
        }

        public Next<Integer> handle(Msg msg, Integer n) {
            return switch (msg) {
                case Increment i -> Next.noreply(n + 1);
                case Get g -> Next.reply(g, n, n);
            };
        }
    }

    @Test
    void theCounterOfGenServer() {
        InProcess.run(() -> {
            Pid counter = Counter.start();
            Counter.increment(counter);
            Counter.increment(counter);
            assertThat(Counter.get(counter)).isEqualTo(2);
            GenServer.stop(counter);
        });
    }

    @Test
    void theCounterOfGenServerFromAPlainThread() {
        Pid counter = Counter.start();
        Counter.increment(counter);
        assertThat(Counter.get(counter)).isEqualTo(1);
        GenServer.stop(counter);
    }

    // ---- Next: the switch over a key-value protocol ---------------------------------------------

    /// The state the Next example assumes: `get` and `with`.
    record Store(Map<String, String> entries) {
        Optional<String> get(String key) {
            return Optional.ofNullable(entries.get(key));
        }

        Store with(String key, String value) {
            Map<String, String> more = new HashMap<>(entries);
            more.put(key, value);
            return new Store(Map.copyOf(more));
        }
    }

    static final class KvServer implements GenServer<KvServer.Msg, Store> {
        sealed interface Msg {}

        record Get(String key) implements Msg, Call<Optional<String>> {}

        record Put(String key, String value) implements Msg {}

        record Quit() implements Msg {}

        @Override
        public Init<Store> init() {
            return Init.ok(new Store(Map.of()));
        }

        @Override
        public Next<Store> handle(Msg msg, Store state) {
            return switch (msg) {
                case Get g -> Next.reply(g, state.get(g.key()), state); // typed: g is a Call<R>
                case Put p -> Next.noreply(state.with(p.key(), p.value()));
                case Quit q -> Next.stop(ExitReason.NORMAL, state);
            };
        }
    }

    @Test
    void theSwitchOfNext() {
        InProcess.run(() -> {
            Pid server = GenServer.start(new KvServer()).orThrow();
            assertThat(GenServer.call(server, new KvServer.Get("milk"))).isEmpty();
            GenServer.cast(server, new KvServer.Put("milk", "3"));
            assertThat(GenServer.call(server, new KvServer.Get("milk"))).contains("3");
            Ref ref = Kernel.monitor(server);
            GenServer.cast(server, new KvServer.Quit());
            assertThat(ServerTesting.expect(ServerTesting.downOf(ref)).reason()).isEqualTo(ExitReason.NORMAL);
        });
    }

    // ---- Call: a protocol with a call and a cast ------------------------------------------------

    static final class CallExample implements GenServer<CallExample.Msg, Map<String, String>> {
        sealed interface Msg permits Get, Put {}

        record Get(String key) implements Msg, Call<Optional<String>> {}

        record Put(String key, String value) implements Msg {} // a cast

        @Override
        public Init<Map<String, String>> init() {
            return Init.ok(Map.of());
        }

        @Override
        public Next<Map<String, String>> handle(Msg msg, Map<String, String> map) {
            return switch (msg) {
                case Get g -> Next.reply(g, Optional.ofNullable(map.get(g.key())), map);
                case Put p -> {
                    Map<String, String> more = new HashMap<>(map);
                    more.put(p.key(), p.value());
                    yield Next.noreply(Map.copyOf(more));
                }
            };
        }
    }

    @Test
    void theProtocolOfCall() {
        InProcess.run(() -> {
            Pid server = GenServer.start(new CallExample()).orThrow();
            GenServer.cast(server, new CallExample.Put("k", "v"));

            Optional<String> v = GenServer.call(server, new CallExample.Get("k"));

            assertThat(v).contains("v");
            GenServer.stop(server);
        });
    }

    // ---- StartResult: the switch and orThrow ----------------------------------------------------

    @Test
    void theSwitchOfStartResult() {
        InProcess.run(() -> {
            List<Object> used = new ArrayList<>();
            GenServer<?, ?> server = new Counter();
            StartOptions options = StartOptions.defaults().name("start_result_example");
            for (int attempt = 0; attempt < 2; attempt++) {
                switch (GenServer.start(server, options)) {
                    case StartResult.Ok ok -> used.add(ok.pid());
                    case StartResult.AlreadyStarted a -> used.add(a.pid());
                    case StartResult.Ignore i -> {}
                    case StartResult.Failed f -> used.add(f.reason());
                }
            }
            Pid started = Kernel.whereis("start_result_example").orElseThrow();
            assertThat(used).containsExactly(started, started); // Ok, then AlreadyStarted

            assertThatThrownBy(() -> GenServer.start(server, options).orThrow()).isInstanceOf(ExitException.class);
            Pid pid = GenServer.start(server, StartOptions.defaults()).orThrow(); // or fail with ExitException
            assertThat(Kernel.isAlive(pid)).isTrue();
            GenServer.stop(pid);
            GenServer.stop(started);
        });
    }

    // ---- Sys --------------------------------------------------------------------------------------

    @Test
    void theDebuggingSessionOfSys() {
        InProcess.run(() -> {
            Pid server = Counter.start();
            Counter.increment(server);

            Object state = Sys.getState(server);
            Sys.suspend(server); // calls and casts now queue up
            Counter.increment(server);
            Sys.replaceState(server, (Integer n) -> n + 1);
            Sys.resume(server); // …and are handled, in order

            assertThat(state).isEqualTo(1);
            assertThat(Counter.get(server)).isEqualTo(3);
            GenServer.stop(server);
        });
    }

    // ---- Name -------------------------------------------------------------------------------------

    static final class KvRegistry implements GenServer<KvRegistry.Lookup, Map<String, Pid>> {
        record Lookup(String name) implements Call<Optional<Pid>> {}

        @Override
        public Init<Map<String, Pid>> init() {
            return Init.ok(Map.of());
        }

        @Override
        public Next<Map<String, Pid>> handle(Lookup lookup, Map<String, Pid> buckets) {
            return Next.reply(lookup, Optional.ofNullable(buckets.get(lookup.name())), buckets);
        }
    }

    @Test
    void theRegisteredNameOfName() {
        InProcess.run(() -> {
            GenServer<?, ?> server = new KvRegistry();

            GenServer.start(server, StartOptions.defaults().name(Name.local("kv_registry")));
            Optional<Pid> found = GenServer.call(Name.local("kv_registry"), new KvRegistry.Lookup("shopping"));

            assertThat(found).isEmpty();
            GenServer.stop(Kernel.whereis("kv_registry").orElseThrow());
        });
    }
}
