package dev.trellis.otp;

import static dev.trellis.otp.InProcess.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/// Elixir's registry_test (unique and duplicate keys with 1 and 8 partitions, via callbacks,
/// clean-up on owner exit, links), lookups from plain threads, and the concurrency cases.
@ExtendWith(SupervisionLeakCheck.class)
class RegistryTest {

    /// What a process started by [#registerInNewProcess] reports.
    record Registration(Pid pid, Registry.RegisterResult result) {}

    /// A tiny server for the via-name tests.
    static final class Counter implements GenServer<Counter.Msg, Integer> {
        sealed interface Msg {}

        record Increment() implements Msg {}

        record Get() implements Msg, Call<Integer> {}

        @Override
        public Init<Integer> init() {
            return Init.ok(0);
        }

        @Override
        public Next<Integer> handle(Msg msg, Integer n) {
            return switch (msg) {
                case Increment i -> Next.noreply(n + 1);
                case Get g -> Next.reply(g, n, n);
            };
        }
    }

    /// Starts a process that registers under `key` with `value`, reports a [Registration] and
    /// waits until it is killed.
    static Registration registerInNewProcess(Pid registry, Object key, Object value) {
        Pid test = Kernel.self();
        Kernel.spawn(() -> {
            Kernel.send(test, new Registration(Kernel.self(), Registry.register(registry, key, value)));
            Kernel.receive(Match.none());
        });
        return expect(Match.type(Registration.class));
    }

    /// Kills `pid` and waits for its Down.
    static void kill(Pid pid) {
        Ref ref = Kernel.monitor(pid);
        Kernel.exit(pid, ExitReason.KILL);
        expect(Signals.downOf(ref));
    }

    static Pid startRegistry(Registry.Keys keys, int partitions) {
        return Registry.start(new RegistryOptions(keys, partitions)).orThrow();
    }

    // ---- the Javadoc examples -----------------------------------------------------------

    @Test
    void theJavadocExampleWorks() {
        InProcess.run(() -> {
            Pid names = Registry.start(RegistryOptions.unique()).orThrow();
            Pid self = Kernel.self();
            assertThat(Registry.register(names, "shopping", "list")).isEqualTo(new Registry.Registered());
            assertThat(Registry.lookup(names, "shopping")).containsExactly(new Registry.Entry(self, "list"));
            assertThat(Registry.register(names, "shopping", "other")).isEqualTo(new Registry.AlreadyRegistered(self));
            assertThat(Registry.keys(names, self)).containsExactly("shopping");
            Registry.unregister(names, "shopping");
            assertThat(Registry.lookup(names, "shopping")).isEmpty();
            Registry.stop(names);
        });
    }

    @Test
    void thePubSubExampleDispatchesToEverySubscriber() {
        InProcess.run(() -> {
            Pid topics = Registry.start(RegistryOptions.duplicate()).orThrow();
            Pid test = Kernel.self();
            List<Pid> subscribers = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                String value = "subscriber-" + i;
                subscribers.add(Kernel.spawn(() -> {
                    Registry.register(topics, "news", value);
                    Kernel.send(test, "subscribed");
                    Object news = Kernel.receive(Match.equalTo("extra! extra!"));
                    Kernel.send(test, value + " got " + news);
                }));
                expect(Match.equalTo("subscribed"));
            }
            Registry.dispatch(topics, "news", entries -> {
                for (Registry.Entry e : entries) {
                    Kernel.send(e.pid(), "extra! extra!");
                }
            });
            List<Object> got = List.of(
                    expect(Match.type(String.class)),
                    expect(Match.type(String.class)),
                    expect(Match.type(String.class)));
            assertThat(got)
                    .containsExactlyInAnyOrder(
                            "subscriber-1 got extra! extra!",
                            "subscriber-2 got extra! extra!",
                            "subscriber-3 got extra! extra!");
            for (Pid s : subscribers) {
                Signals.awaitExit(s);
            }
            Registry.stop(topics);
        });
    }

    // ---- unique keys --------------------------------------------------------------------

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, 8})
    void aUniqueKeyHasOneEntryAndRegisteringItAgainGivesItsHolder(int partitions) {
        InProcess.run(() -> {
            Pid registry = startRegistry(Registry.Keys.UNIQUE, partitions);
            Pid self = Kernel.self();
            assertThat(Registry.register(registry, "hello", "value")).isEqualTo(new Registry.Registered());
            assertThat(Registry.keys(registry, self)).containsExactly("hello");
            assertThat(Registry.register(registry, "hello", "value")).isEqualTo(new Registry.AlreadyRegistered(self));
            assertThat(Registry.keys(registry, self)).containsExactly("hello");
            assertThat(Registry.register(registry, "world", "value")).isEqualTo(new Registry.Registered());
            assertThat(Registry.keys(registry, self)).containsExactlyInAnyOrder("hello", "world");
            assertThat(Registry.lookup(registry, "hello")).containsExactly(new Registry.Entry(self, "value"));
            assertThat(Registry.count(registry)).isEqualTo(2);
            Registry.unregister(registry, "hello");
            Registry.unregister(registry, "world");
            Registry.stop(registry);
        });
    }

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, 8})
    void aUniqueKeyHeldByAnotherProcessIsAlreadyRegisteredAndTheCallerGetsNothing(int partitions) {
        InProcess.run(() -> {
            Pid registry = startRegistry(Registry.Keys.UNIQUE, partitions);
            Registration holder = registerInNewProcess(registry, "hello", "value");
            assertThat(holder.result()).isEqualTo(new Registry.Registered());
            assertThat(Registry.register(registry, "hello", "recent"))
                    .isEqualTo(new Registry.AlreadyRegistered(holder.pid()));
            assertThat(Registry.keys(registry, Kernel.self())).isEmpty();
            assertThat(Registry.lookup(registry, "hello")).containsExactly(new Registry.Entry(holder.pid(), "value"));
            assertThat(Kernel.processInfo(Kernel.self()).orElseThrow().links()).doesNotContain(registry);
            kill(holder.pid());
            Registry.stop(registry);
        });
    }

    @Test
    void aUniqueKeyWhoseHolderIsDeadIsFreeAndNotAmongItsKeysEvenBeforeItsEntryIsRemoved() {
        InProcess.run(() -> {
            Pid registry = startRegistry(Registry.Keys.UNIQUE, 1);
            Pid test = Kernel.self();
            CountDownLatch cleanup = new CountDownLatch(1);
            Pid holder = Kernel.spawn(() -> {
                // Runs before the registry's exit hook: holds the entry while the holder is dead.
                Kernel.current().onExit(() -> {
                    try {
                        cleanup.await(5, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                Kernel.send(test, Registry.register(registry, "hello", "old"));
                Kernel.receive(Match.none());
            });
            assertThat(expect(Match.type(Registry.RegisterResult.class))).isEqualTo(new Registry.Registered());
            Ref ref = Kernel.monitor(holder);
            Kernel.exit(holder, ExitReason.KILL);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !Kernel.isAlive(holder));

            assertThat(Registry.lookup(registry, "hello")).isEmpty();
            assertThat(Registry.keys(registry, holder)).isEmpty();
            assertThat(Registry.count(registry)).isEqualTo(1); // a counter: it waits for the exit hook
            assertThat(Registry.register(registry, "hello", "new")).isEqualTo(new Registry.Registered());
            cleanup.countDown();
            expect(Signals.downOf(ref));
            assertThat(Registry.lookup(registry, "hello")).containsExactly(new Registry.Entry(test, "new"));
            assertThat(Registry.count(registry)).isEqualTo(1);
            Registry.unregister(registry, "hello");
            Registry.stop(registry);
        });
    }

    // ---- duplicate keys -----------------------------------------------------------------

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, 8})
    void duplicateKeysKeepEveryEntryInRegistrationOrder(int partitions) {
        InProcess.run(() -> {
            Pid registry = startRegistry(Registry.Keys.DUPLICATE, partitions);
            Pid self = Kernel.self();
            assertThat(Registry.register(registry, "hello", "value1")).isEqualTo(new Registry.Registered());
            assertThat(Registry.keys(registry, self)).containsExactly("hello");
            assertThat(Registry.register(registry, "hello", "value2")).isEqualTo(new Registry.Registered());
            assertThat(Registry.keys(registry, self)).containsExactly("hello", "hello");
            Registration other = registerInNewProcess(registry, "hello", "value3");
            assertThat(Registry.register(registry, "world", "value4")).isEqualTo(new Registry.Registered());
            assertThat(Registry.keys(registry, self)).containsExactly("hello", "hello", "world");
            assertThat(Registry.lookup(registry, "hello"))
                    .containsExactly(
                            new Registry.Entry(self, "value1"),
                            new Registry.Entry(self, "value2"),
                            new Registry.Entry(other.pid(), "value3"));
            assertThat(Registry.count(registry)).isEqualTo(4);
            kill(other.pid());
            Registry.unregister(registry, "hello");
            Registry.unregister(registry, "world");
            Registry.stop(registry);
        });
    }

    @ParameterizedTest(name = "{0} keys")
    @EnumSource(Registry.Keys.class)
    void unregisterRemovesOnlyTheCallersEntriesUnderTheKey(Registry.Keys keys) {
        InProcess.run(() -> {
            Pid registry = startRegistry(keys, 8);
            Pid self = Kernel.self();
            Registration other = registerInNewProcess(registry, "shared", "theirs");
            Registry.register(registry, "mine", "a");
            Registry.register(registry, "world", "b");
            if (keys == Registry.Keys.DUPLICATE) {
                Registry.register(registry, "mine", "c");
                Registry.register(registry, "shared", "ours");
            }
            Registry.unregister(registry, "mine");
            Registry.unregister(registry, "shared");
            assertThat(Registry.lookup(registry, "mine")).isEmpty();
            assertThat(Registry.lookup(registry, "shared")).containsExactly(new Registry.Entry(other.pid(), "theirs"));
            assertThat(Registry.keys(registry, self)).containsExactly("world");
            Registry.unregister(registry, "world");
            assertThat(Registry.keys(registry, self)).isEmpty();
            assertThat(Registry.count(registry)).isEqualTo(1);
            kill(other.pid());
            Registry.stop(registry);
        });
    }

    @Test
    void unregisteringAKeyWithNoEntriesDoesNothing() {
        InProcess.run(() -> {
            Pid registry = startRegistry(Registry.Keys.UNIQUE, 1);
            Registry.unregister(registry, "hello");
            assertThat(Registry.count(registry)).isZero();
            Registry.stop(registry);
        });
    }

    // ---- reading from anywhere ----------------------------------------------------------

    @Test
    void lookupDispatchKeysAndCountWorkFromAPlainThreadThatIsNotAProcess() {
        assertThat(Kernel.inProcess()).isFalse();
        Pid registry = Registry.start(RegistryOptions.duplicate().partitions(4)).orThrow();
        List<Pid> owners = new ArrayList<>();
        CountDownLatch registered = new CountDownLatch(2);
        for (String value : List.of("a", "b")) {
            owners.add(Kernel.spawn(() -> {
                Registry.register(registry, "key", value);
                registered.countDown();
                Kernel.receive(Match.none());
            }));
        }
        try {
            assertThat(registered.await(5, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertThat(Registry.lookup(registry, "key"))
                .extracting(Registry.Entry::value)
                .containsExactlyInAnyOrder("a", "b");
        List<Object> dispatched = new ArrayList<>();
        Registry.dispatch(registry, "key", entries -> entries.forEach(e -> dispatched.add(e.value())));
        assertThat(dispatched).containsExactlyInAnyOrder("a", "b");
        assertThat(Registry.keys(registry, owners.getFirst())).containsExactly("key");
        assertThat(Registry.count(registry)).isEqualTo(2);
        for (Pid owner : owners) {
            Kernel.exit(owner, ExitReason.KILL);
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> owners.stream().noneMatch(Kernel::isAlive));
        assertThat(Registry.lookup(registry, "key")).isEmpty();
        Registry.stop(registry);
    }

    @Test
    void dispatchCallsTheFunctionWithTheEntriesAndNeverWhenThereAreNone() {
        InProcess.run(() -> {
            Pid registry = startRegistry(Registry.Keys.UNIQUE, 8);
            Registry.dispatch(registry, "hello", entries -> {
                throw new AssertionError("will never be invoked");
            });
            Registry.register(registry, "hello", "value");
            Registry.dispatch(registry, "hello", entries -> {
                assertThat(entries).hasSize(1);
                Kernel.send(
                        entries.getFirst().pid(),
                        "dispatch " + entries.getFirst().value());
            });
            assertThat(expect(Match.type(String.class))).isEqualTo("dispatch value");
            Registry.unregister(registry, "hello");
            Registry.stop(registry);
        });
    }

    // ---- owners exiting -----------------------------------------------------------------

    @ParameterizedTest(name = "{0} keys")
    @EnumSource(Registry.Keys.class)
    void theEntriesOfAProcessAreGoneWhenItsDownArrives(Registry.Keys keys) {
        InProcess.run(() -> {
            Pid registry = startRegistry(keys, 8);
            Registration first = registerInNewProcess(registry, "hello", "value");
            Registration second = registerInNewProcess(registry, "world", "value");
            assertThat(Registry.count(registry)).isEqualTo(2);
            for (Registration r : List.of(first, second)) {
                Ref ref = Kernel.monitor(r.pid());
                Kernel.exit(r.pid(), ExitReason.KILL);
                expect(Signals.downOf(ref));
                assertThat(Registry.keys(registry, r.pid())).isEmpty(); // right after the Down
            }
            assertThat(Registry.lookup(registry, "hello")).isEmpty();
            assertThat(Registry.lookup(registry, "world")).isEmpty();
            assertThat(Registry.count(registry)).isZero();
            assertThat(RegistryTables.of(registry).partitionSizes()).allMatch(n -> n == 0);
            Registry.stop(registry);
        });
    }

    @Test
    void aProcessIsLinkedToTheRegistryWhileItHoldsAKey() {
        InProcess.run(() -> {
            Pid registry = startRegistry(Registry.Keys.DUPLICATE, 8);
            Pid self = Kernel.self();
            Registry.register(registry, "hello", "value");
            assertThat(Kernel.processInfo(self).orElseThrow().links()).contains(registry);
            Registry.register(registry, "world", "value");
            Registry.unregister(registry, "hello");
            assertThat(Kernel.processInfo(self).orElseThrow().links()).contains(registry);
            Registry.unregister(registry, "world");
            assertThat(Kernel.processInfo(self).orElseThrow().links()).doesNotContain(registry);
            Registry.stop(registry);
        });
    }

    @Test
    void anOwnerThatCrashesDoesNotTakeTheRegistryWithIt() {
        InProcess.run(() -> {
            Pid registry = startRegistry(Registry.Keys.UNIQUE, 1);
            Registration owner = registerInNewProcess(registry, "hello", "value");
            Ref ref = Kernel.monitor(owner.pid());
            Kernel.exit(owner.pid(), ExitReason.other("boom"));
            assertThat(expect(Signals.downOf(ref)).reason()).isEqualTo(ExitReason.other("boom"));
            assertThat(Kernel.isAlive(registry)).isTrue();
            assertThat(Registry.register(registry, "hello", "again")).isEqualTo(new Registry.Registered());
            Registry.unregister(registry, "hello");
            Registry.stop(registry);
        });
    }

    @Test
    void whenTheRegistryExitsItsEntriesGoLookupsThrowAndItsRegisteredProcessesExitWithIt() {
        InProcess.run(() -> {
            Pid registry = startRegistry(Registry.Keys.UNIQUE, 8);
            Registration owner = registerInNewProcess(registry, "hello", "value");
            Ref ref = Kernel.monitor(owner.pid());
            Registry.stop(registry, ExitReason.SHUTDOWN, Duration.ofSeconds(5));
            assertThat(expect(Signals.downOf(ref)).reason()).isEqualTo(ExitReason.SHUTDOWN);
            assertThatThrownBy(() -> Registry.lookup(registry, "hello"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("registry " + registry + " is not running");
            assertThatThrownBy(() -> Registry.register(registry, "hello", "value"))
                    .isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> Registry.count(registry)).isInstanceOf(IllegalStateException.class);
        });
    }

    @Test
    void aLiveProcessThatIsNotARegistryIsRejected() {
        InProcess.run(() -> {
            assertThatThrownBy(() -> Registry.lookup(Kernel.self(), "hello"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not a registry");
            assertThatThrownBy(() -> Registry.lookup(Name.local("registry_test_unknown"), "hello"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no registry is running as registry_test_unknown");
        });
    }

    @Test
    void registeringOutsideAProcessThrows() {
        Pid registry = Registry.start(RegistryOptions.unique()).orThrow();
        assertThatThrownBy(() -> Registry.register(registry, "hello", "value"))
                .isInstanceOf(IllegalStateException.class);
        Registry.stop(registry);
    }

    @Test
    void aNamedRegistryIsReachableByName() {
        InProcess.run(() -> {
            Name name = Name.local("registry_test_named");
            Pid registry = Registry.start(
                            RegistryOptions.unique(), StartOptions.defaults().name(name))
                    .orThrow();
            assertThat(Kernel.processInfo(registry).orElseThrow().label()).isEqualTo(Registry.class.getName());
            Registry.register(name, "hello", "value");
            assertThat(Registry.lookup(name, "hello")).containsExactly(new Registry.Entry(Kernel.self(), "value"));
            assertThat(Registry.keys(name, Kernel.self())).containsExactly("hello");
            assertThat(Registry.count(name)).isEqualTo(1);
            List<Registry.Entry> seen = new ArrayList<>();
            Registry.dispatch(name, "hello", seen::addAll);
            assertThat(seen).hasSize(1);
            Registry.unregister(name, "hello");
            assertThat(Registry.count(name)).isZero();
            Registry.stop(registry);
        });
    }

    // ---- partitions and options ---------------------------------------------------------

    @Test
    void keysAreSpreadOverThePartitionsAndEveryKeyIsFound() {
        InProcess.run(() -> {
            Pid registry = startRegistry(Registry.Keys.UNIQUE, 8);
            Pid self = Kernel.self();
            for (int i = 0; i < 64; i++) {
                Registry.register(registry, "key-" + i, i);
            }
            for (int i = 0; i < 64; i++) {
                assertThat(Registry.lookup(registry, "key-" + i)).containsExactly(new Registry.Entry(self, i));
            }
            List<Integer> sizes = RegistryTables.of(registry).partitionSizes();
            assertThat(sizes).hasSize(8);
            assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(64);
            assertThat(sizes.stream().filter(n -> n > 0).count()).isGreaterThan(1);
            assertThat(Registry.count(registry)).isEqualTo(64);
            for (int i = 0; i < 64; i++) {
                Registry.unregister(registry, "key-" + i);
            }
            Registry.stop(registry);
        });
    }

    @Test
    void optionsDefaultToOnePartitionPerProcessorAndNeedAtLeastOne() {
        int processors = Runtime.getRuntime().availableProcessors();
        assertThat(RegistryOptions.unique()).isEqualTo(new RegistryOptions(Registry.Keys.UNIQUE, processors));
        assertThat(RegistryOptions.duplicate().partitions(8))
                .isEqualTo(new RegistryOptions(Registry.Keys.DUPLICATE, 8));
        assertThat(RegistryOptions.unique().keys(Registry.Keys.DUPLICATE)).isEqualTo(RegistryOptions.duplicate());
        assertThatThrownBy(() -> RegistryOptions.unique().partitions(0)).isInstanceOf(IllegalArgumentException.class);
        InProcess.run(() -> {
            Pid registry = Registry.start(RegistryOptions.unique()).orThrow();
            assertThat(RegistryTables.of(registry).partitionSizes()).hasSize(processors);
            Registry.stop(registry);
        });
    }

    @Test
    void childSpecStartsTheRegistryAsAPermanentWorker() {
        InProcess.run(() -> {
            ChildSpec spec = Registry.childSpec("registry", RegistryOptions.unique(), StartOptions.defaults());
            assertThat(spec.type()).isEqualTo(ChildSpec.Type.WORKER);
            assertThat(spec.restart()).isEqualTo(ChildSpec.Restart.PERMANENT);
            Pid sup = Supervisor.startLink(List.of(spec), SupervisorFlags.oneForOne())
                    .orThrow();
            Pid registry = Supervision.pidOf(sup, "registry").orElseThrow();
            assertThat(Registry.register(registry, "hello", "value")).isEqualTo(new Registry.Registered());
            Registry.unregister(registry, "hello");
            Supervisor.stop(sup);
        });
    }

    // ---- via names ----------------------------------------------------------------------

    @Test
    void aViaNameNamesAGenServerThatIsCalledByItAndFreeAgainWhenItDies() {
        InProcess.run(() -> {
            Pid registry = startRegistry(Registry.Keys.UNIQUE, 8);
            Name name = Name.via(Registry.via(registry), "counter");
            Pid counter = GenServer.start(new Counter(), StartOptions.defaults().name(name))
                    .orThrow();
            assertThat(Registry.lookup(registry, "counter"))
                    .containsExactly(new Registry.Entry(counter, Registry.VIA_VALUE));
            assertThat(name.whereis()).contains(counter);
            GenServer.cast(name, new Counter.Increment());
            assertThat(GenServer.call(name, new Counter.Get())).isEqualTo(1);

            Ref ref = Kernel.monitor(counter);
            Kernel.exit(counter, ExitReason.KILL);
            expect(Signals.downOf(ref));
            assertThat(name.whereis()).isEmpty();
            assertThatThrownBy(() -> GenServer.call(name, new Counter.Get()))
                    .isInstanceOfSatisfying(
                            ExitException.class, e -> assertThat(e.reason()).isEqualTo(ExitReason.NOPROC));
            Pid again = GenServer.start(new Counter(), StartOptions.defaults().name(name))
                    .orThrow();
            assertThat(GenServer.call(name, new Counter.Get())).isZero();
            GenServer.stop(again);
            assertThat(name.whereis()).isEmpty();
            Registry.stop(registry);
        });
    }

    @Test
    void aTakenViaNameGivesAlreadyStartedAndAFailedStartFreesTheName() {
        InProcess.run(() -> {
            Pid registry = startRegistry(Registry.Keys.UNIQUE, 1);
            Name name = Name.via(Registry.via(registry), "agent");
            Pid agent = Agent.start(() -> 0, StartOptions.defaults().name(name)).orThrow();
            assertThat(Agent.start(() -> 0, StartOptions.defaults().name(name)))
                    .isEqualTo(new StartResult.AlreadyStarted(agent));
            Agent.stop(agent);
            assertThat(Agent.start(
                            () -> {
                                throw new IllegalStateException("oops");
                            },
                            StartOptions.defaults().name(name)))
                    .isInstanceOf(StartResult.Failed.class);
            assertThat(name.whereis()).isEmpty();
            assertThat(Registry.count(registry)).isZero();
            Registry.stop(registry);
        });
    }

    @Test
    void aViaNameThroughTheRegistrysNameResolvesItOnEachUse() {
        InProcess.run(() -> {
            Name registryName = Name.local("registry_test_via");
            Pid registry = Registry.start(
                            RegistryOptions.unique(), StartOptions.defaults().name(registryName))
                    .orThrow();
            Name name = Name.via(Registry.via(registryName), "counter");
            Pid counter = GenServer.start(new Counter(), StartOptions.defaults().name(name))
                    .orThrow();
            assertThat(GenServer.call(name, new Counter.Get())).isZero();
            GenServer.stop(counter);
            Registry.stop(registry);
            assertThatThrownBy(name::whereis).isInstanceOf(IllegalStateException.class);
        });
    }

    @Test
    void viaNamesNeedAUniqueRegistry() {
        InProcess.run(() -> {
            Pid registry = startRegistry(Registry.Keys.DUPLICATE, 1);
            assertThatThrownBy(() -> Registry.via(registry))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("unique keys");
            Name registryName = Name.local("registry_test_duplicate");
            Kernel.register("registry_test_duplicate", registry);
            StartResult result = GenServer.start(
                    new Counter(), StartOptions.defaults().name(Name.via(Registry.via(registryName), "x")));
            assertThat(result)
                    .isInstanceOfSatisfying(
                            StartResult.Failed.class,
                            f -> assertThat(f.reason())
                                    .isInstanceOfSatisfying(
                                            ExitReason.Crash.class,
                                            c -> assertThat(c.exception())
                                                    .isInstanceOf(IllegalArgumentException.class)));
            Registry.stop(registry);
        });
    }

    // ---- concurrency --------------------------------------------------------------------

    @Test
    void exactlyOneOf32ProcessesRacingForAUniqueKeyRegistersIt() {
        InProcess.run(() -> {
            Pid registry = startRegistry(Registry.Keys.UNIQUE, 8);
            Pid test = Kernel.self();
            for (int round = 0; round < 10; round++) {
                String key = "contested-" + round;
                List<Pid> racers = new ArrayList<>();
                for (int i = 0; i < 32; i++) {
                    racers.add(Kernel.spawn(() -> {
                        Kernel.receive(Match.equalTo("go"));
                        Kernel.send(test, new Registration(Kernel.self(), Registry.register(registry, key, "v")));
                        Kernel.receive(Match.none());
                    }));
                }
                racers.forEach(p -> Kernel.send(p, "go"));
                List<Registration> results = new ArrayList<>();
                for (int i = 0; i < 32; i++) {
                    results.add(expect(Match.type(Registration.class)));
                }
                List<Pid> winners = results.stream()
                        .filter(r -> r.result() instanceof Registry.Registered)
                        .map(Registration::pid)
                        .toList();
                assertThat(winners).hasSize(1);
                Pid winner = winners.getFirst();
                assertThat(results)
                        .filteredOn(r -> !r.pid().equals(winner))
                        .extracting(Registration::result)
                        .containsOnly(new Registry.AlreadyRegistered(winner));
                assertThat(Registry.lookup(registry, key)).containsExactly(new Registry.Entry(winner, "v"));
                racers.forEach(RegistryTest::kill);
                assertThat(Registry.lookup(registry, key)).isEmpty();
            }
            assertThat(Registry.count(registry)).isZero();
            Registry.stop(registry);
        });
    }

    /// What a reader of [#registerAndUnregisterRacingLookupsStayConsistent] saw.
    record Seen(long reads, long nonEmpty, List<String> violations) {}

    @ParameterizedTest(name = "{0} keys")
    @EnumSource(Registry.Keys.class)
    void registerAndUnregisterRacingLookupsStayConsistent(Registry.Keys keys) {
        InProcess.run(() -> {
            Pid registry = startRegistry(keys, 4);
            Pid test = Kernel.self();
            AtomicBoolean stop = new AtomicBoolean();
            Pid writer = Kernel.spawn(() -> {
                Kernel.receive(Match.equalTo("go"));
                for (int i = 0; i < 2_000; i++) {
                    Registry.register(registry, "k", "v1");
                    if (keys == Registry.Keys.DUPLICATE) {
                        Registry.register(registry, "k", "v2");
                    }
                    Registry.unregister(registry, "k");
                }
                stop.set(true);
                Kernel.send(test, "written");
            });
            List<Registry.Entry> one = List.of(new Registry.Entry(writer, "v1"));
            List<Registry.Entry> two = List.of(new Registry.Entry(writer, "v1"), new Registry.Entry(writer, "v2"));
            List<Pid> readers = IntStream.range(0, 3)
                    .mapToObj(i -> Kernel.spawn(() -> {
                        long reads = 0;
                        long nonEmpty = 0;
                        List<String> violations = new ArrayList<>();
                        while (!stop.get()) {
                            List<Registry.Entry> got = Registry.lookup(registry, "k");
                            reads++;
                            if (!got.isEmpty()) {
                                nonEmpty++;
                            }
                            boolean ok = got.isEmpty()
                                    || got.equals(one)
                                    || (keys == Registry.Keys.DUPLICATE && got.equals(two));
                            if (!ok && violations.size() < 10) {
                                violations.add(got.toString());
                            }
                            List<Object> held = Registry.keys(registry, writer);
                            if (!(held.isEmpty() || held.equals(List.of("k")) || held.equals(List.of("k", "k")))
                                    && violations.size() < 10) {
                                violations.add("keys " + held);
                            }
                        }
                        Kernel.send(test, new Seen(reads, nonEmpty, violations));
                    }))
                    .toList();
            Kernel.send(writer, "go");
            expect(Match.equalTo("written"));
            long reads = 0;
            for (int i = 0; i < readers.size(); i++) {
                Seen seen = expect(Match.type(Seen.class));
                assertThat(seen.violations()).isEmpty();
                reads += seen.reads();
            }
            assertThat(reads).isPositive();
            assertThat(Registry.lookup(registry, "k")).isEmpty();
            assertThat(Registry.count(registry)).isZero();
            Signals.awaitExit(writer);
            Registry.stop(registry);
        });
    }
}
