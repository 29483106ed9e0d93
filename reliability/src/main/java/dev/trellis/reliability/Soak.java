package dev.trellis.reliability;

import dev.trellis.kv.KvConfig;
import dev.trellis.kv.KvRegistry;
import dev.trellis.kv.KvSupervisor;
import dev.trellis.kv.server.KvServer;
import dev.trellis.kv.server.ServerConfig;
import dev.trellis.otp.ChildInfo;
import dev.trellis.otp.Down;
import dev.trellis.otp.DynamicSupervisor;
import dev.trellis.otp.ExitReason;
import dev.trellis.otp.Kernel;
import dev.trellis.otp.Match;
import dev.trellis.otp.Name;
import dev.trellis.otp.Pid;
import dev.trellis.otp.Ref;
import dev.trellis.otp.SpawnOptions;
import dev.trellis.otp.Supervisor;
import dev.trellis.otp.observe.ProcessInfo;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/// `./kv soak`: a KV server in this JVM (127.0.0.1, a free port) under loopback clients for a
/// while — well-formed ones checked against a model, abusive ones, and a killer of random
/// buckets — then a check that nothing is wrong, leaked or restarted, and that a fresh client
/// still works.
///
/// ## Examples
///
/// ```java
/// SoakReport r = Soak.run(new Soak.Options(Duration.ofSeconds(60), 50, 5), System.err);
/// r.ok();     // true: 0 wrong replies, 0 leaks, 0 restarts, acceptor alive, fresh client served
/// r.json();   // {"requests":…,"wrong_replies":0,"leaked_processes":0,"restarts":0,"fresh_client_ok":true,…}
/// ```
///
/// ## What runs
///
/// | who | what |
/// |---|---|
/// | well-formed clients | CREATE, PUT, GET, DELETE (and pipelined batches) in 4 buckets of their own, each reply
/// checked against a model of them ([WellFormedClient]) |
/// | abusive clients (`abusive`% of the clients, at least one if the percentage is positive) | garbage bytes, invalid
/// UTF-8, lines over the limit, slow readers, resets mid-line, connect-and-close floods ([AbusiveClient]) |
/// | the killer | every 20 ms, kills a random bucket of a random well-formed client |
///
/// The server runs with the defaults of `./kv server` except a write timeout of 2 s, so slow
/// readers are cut off within the run. Progress goes to `progress` every few seconds.
///
/// ## What is checked at the end
///
/// - wrong replies: a reply to a well-formed request that the model does not predict (a NOT FOUND
///   for a bucket the killer killed is predicted exactly), a lost connection, a timeout;
/// - leaked processes: once every client has closed, the processes beyond those alive before the
///   clients started and the buckets still registered (waited for up to 15 s);
/// - leaked threads: platform threads beyond those alive before the clients started (the JDK's
///   virtual-thread carriers excepted);
/// - restarts done by the supervisors of the store and the server (a bucket kill is not one:
///   buckets are temporary);
/// - the acceptor that started is still alive, and a fresh client is served.
public final class Soak {
    /*
     * Everything runs in this JVM so the check can see the processes: the trees are held by a
     * root process; the clients are platform threads (joined before the leak check, so they are
     * not counted); the server sees only sockets.
     */
    private static final AtomicInteger RUNS = new AtomicInteger();
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration LEAK_WAIT = Duration.ofSeconds(15);
    private static final int MAX_PROBLEMS = 20;

    private Soak() {}

    /// How long and how hard.
    ///
    /// @param duration how long the clients run
    /// @param clients clients in all, abusive ones included
    /// @param abusivePercent the percentage of them that misbehave, 0..100
    public record Options(Duration duration, int clients, int abusivePercent) {
        public Options {
            if (duration.isNegative()
                    || duration.isZero()
                    || clients < 1
                    || abusivePercent < 0
                    || abusivePercent > 100) {
                throw new IllegalArgumentException(
                        "invalid soak options " + duration + "/" + clients + "/" + abusivePercent);
            }
        }

        /// The number of abusive clients: the percentage of `clients`, rounded, at least one if
        /// the percentage is positive, at most all but one.
        public int abusive() {
            if (abusivePercent == 0) {
                return 0;
            }
            int n = Math.max(1, Math.round(clients * abusivePercent / 100f));
            return Math.min(n, Math.max(clients - 1, 0));
        }
    }

    /// What the clients share: counters, the first problems, and the buckets the killer killed.
    static final class Shared {
        final LongAdder requests = new LongAdder();
        final LongAdder wrongReplies = new LongAdder();
        final LongAdder abusiveConnections = new LongAdder();
        final LongAdder kills = new LongAdder();
        final Set<Pid> killed = ConcurrentHashMap.newKeySet();
        final List<String> problems = new ArrayList<>();

        void wrong(String problem) {
            wrongReplies.increment();
            synchronized (problems) {
                if (problems.size() < MAX_PROBLEMS) {
                    problems.add(problem);
                }
            }
        }
    }

    /// Runs a soak; `progress` gets a line every few seconds.
    public static SoakReport run(Options options, PrintStream progress) throws InterruptedException, IOException {
        String suffix = "soak" + RUNS.incrementAndGet();
        KvConfig kv = KvConfig.unique(suffix);
        ServerConfig config = ServerConfig.defaults(kv).port(0).name(suffix).writeTimeout(WRITE_TIMEOUT);
        Trees trees = Trees.start(kv, config);
        try {
            return soak(options, progress, kv, config, trees);
        } finally {
            trees.stop();
        }
    }

    private static SoakReport soak(Options options, PrintStream progress, KvConfig kv, ServerConfig config, Trees trees)
            throws InterruptedException, IOException {
        InetSocketAddress at = KvServer.address(config).orElseThrow();
        Pid acceptor = child(trees.server(), "acceptor");
        freshClient(at, "warmup"); // starts what a first connection starts (the watchdog thread)
        Set<Pid> processes = new HashSet<>(Kernel.processes());
        Set<Long> threads = platformThreads().keySet();

        Shared shared = new Shared();
        int abusive = options.abusive();
        int wellFormed = options.clients() - abusive;
        long started = System.nanoTime();
        long deadline = started + options.duration().toNanos();
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < wellFormed; i++) {
            WellFormedClient c = new WellFormedClient(i, at, kv.registry(), shared, 1000L + i);
            clients.add(Thread.ofPlatform().name("soak-client-" + i).start(() -> c.run(deadline)));
        }
        for (int i = 0; i < abusive; i++) {
            AbusiveClient c = new AbusiveClient(i, at, config.maxLine(), WRITE_TIMEOUT.toNanos(), shared, 2000L + i);
            clients.add(Thread.ofPlatform().name("soak-abuser-" + i).start(() -> c.run(deadline)));
        }
        Thread killer = Thread.ofPlatform()
                .name("soak-killer")
                .start(() -> killBuckets(kv.registry(), wellFormed, shared, deadline));
        long every = Math.max(1, options.duration().toSeconds() / 10) * 1_000_000_000L;
        for (long next = started + every; next < deadline; next += every) {
            TimeUnit.NANOSECONDS.sleep(Math.max(0, next - System.nanoTime()));
            progress.printf(
                    Locale.ROOT,
                    "soak: %3d s  requests %,d  wrong %d  bucket kills %,d  abusive connections %,d%n",
                    (System.nanoTime() - started) / 1_000_000_000L,
                    shared.requests.sum(),
                    shared.wrongReplies.sum(),
                    shared.kills.sum(),
                    shared.abusiveConnections.sum());
        }
        for (Thread t : clients) {
            t.join();
        }
        killer.join();
        double seconds = (System.nanoTime() - started) / 1e9;

        List<String> problems = new ArrayList<>();
        List<ProcessInfo> leaked = awaitNoLeak(processes, kv);
        leaked.stream()
                .limit(MAX_PROBLEMS)
                .forEach(i -> problems.add("leaked process " + i.pid() + " " + i.label() + " " + i.status()
                        + (i.stack().isEmpty() ? "" : " at " + i.stack().getFirst())));
        List<String> leakedThreads = new ArrayList<>();
        platformThreads().forEach((id, t) -> {
            if (!threads.contains(id) && !carrier(t)) {
                leakedThreads.add(t.getName());
            }
        });
        leakedThreads.forEach(t -> problems.add("leaked thread " + t));
        long restarts = restarts(trees.kv()) + restarts(trees.server());
        if (restarts > 0) {
            problems.add("restarts: store " + Supervisor.whichChildren(trees.kv()) + ", server "
                    + Supervisor.whichChildren(trees.server()));
        }
        boolean acceptorAlive = Kernel.isAlive(acceptor);
        boolean fresh = freshClient(at, "fresh");
        synchronized (shared.problems) {
            problems.addAll(0, shared.problems);
        }
        return new SoakReport(
                seconds,
                options.clients(),
                abusive,
                shared.requests.sum(),
                shared.wrongReplies.sum(),
                shared.kills.sum(),
                shared.abusiveConnections.sum(),
                leaked.size(),
                leakedThreads.size(),
                restarts,
                acceptorAlive,
                fresh,
                problems);
    }

    /// Every 20 ms, kills a random bucket of a random client, recording it first.
    private static void killBuckets(String registry, int clients, Shared shared, long deadline) {
        if (clients == 0) {
            return;
        }
        SplittableRandom random = new SplittableRandom(42);
        try {
            while (System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(20);
                String name =
                        WellFormedClient.bucket(random.nextInt(clients), random.nextInt(WellFormedClient.BUCKETS));
                Optional<Pid> bucket = KvRegistry.lookup(registry, name);
                if (bucket.isPresent()) {
                    shared.killed.add(bucket.get()); // before the kill: a client may see it at once
                    Kernel.exit(bucket.get(), ExitReason.KILL);
                    shared.kills.increment();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /// Waits until the processes beyond `before` are buckets only; the others if they do not go.
    private static List<ProcessInfo> awaitNoLeak(Set<Pid> before, KvConfig kv) throws InterruptedException {
        long deadline = System.nanoTime() + LEAK_WAIT.toNanos();
        for (; ; ) {
            Set<Pid> buckets = new HashSet<>();
            for (ChildInfo c : DynamicSupervisor.whichChildren(Name.local(kv.bucketSupervisor()))) {
                c.pid().ifPresent(buckets::add);
            }
            List<ProcessInfo> leaked = Kernel.processes().stream()
                    .filter(p -> !before.contains(p) && !buckets.contains(p))
                    .flatMap(p -> Kernel.processInfo(p).stream())
                    .toList();
            if (leaked.isEmpty() || System.nanoTime() > deadline) {
                return leaked;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    private static Map<Long, Thread> platformThreads() {
        Map<Long, Thread> all = new HashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (!t.isVirtual() && t.isAlive()) {
                all.put(t.threadId(), t);
            }
        }
        return all;
    }

    /// The JDK's own threads that come and go on demand: virtual-thread carriers and the like.
    private static boolean carrier(Thread t) {
        String name = t.getName();
        return name.startsWith("ForkJoinPool")
                || name.startsWith("VirtualThread-")
                || name.equals("Attach Listener")
                || name.equals("process reaper")
                || name.startsWith("Common-Cleaner");
    }

    private static long restarts(Pid supervisor) {
        return Supervisor.whichChildren(supervisor).stream()
                .mapToLong(ChildInfo::restarts)
                .sum();
    }

    private static Pid child(Pid supervisor, Object id) {
        return Supervisor.whichChildren(supervisor).stream()
                .filter(c -> c.id().equals(id))
                .findFirst()
                .flatMap(ChildInfo::pid)
                .orElseThrow(() -> new IllegalStateException("no " + id + " under " + supervisor));
    }

    /// Whether a new client can create a bucket, write and read it back.
    private static boolean freshClient(InetSocketAddress at, String bucket) {
        try (Wire w = new Wire(at, 10_000)) {
            w.send("CREATE " + bucket + "\r\nPUT " + bucket + " k v\r\nGET " + bucket + " k\r\n");
            String replies = w.line() + w.line() + w.reply(true);
            return replies.equals("OK\r\nOK\r\nv\r\nOK\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    /// The store's and the server's trees, held by a root process.
    private record Trees(Pid root, Pid kv, Pid server) {
        static Trees start(KvConfig kv, ServerConfig config) {
            CompletableFuture<Trees> started = new CompletableFuture<>();
            Kernel.spawn(
                    () -> {
                        try {
                            Pid store = KvSupervisor.startLink(kv).orThrow();
                            Pid server = KvServer.startLink(config).orThrow();
                            started.complete(new Trees(Kernel.self(), store, server));
                        } catch (RuntimeException e) {
                            started.completeExceptionally(e);
                            throw e;
                        }
                        Kernel.receive(Match.equalTo("stop"));
                        Supervisor.stop(started.join().server());
                        Supervisor.stop(started.join().kv());
                    },
                    SpawnOptions.defaults().label("soak root"));
            return started.join();
        }

        void stop() {
            CompletableFuture<?> gone = new CompletableFuture<>();
            Kernel.spawn(() -> {
                Ref ref = Kernel.monitor(root);
                Kernel.send(root, "stop");
                Kernel.receive(m -> m instanceof Down d && d.ref() == ref ? d : null);
                gone.complete(null);
            });
            gone.join();
        }
    }
}
