package dev.trellis.app;

import dev.trellis.kv.Kv;
import dev.trellis.kv.KvConfig;
import dev.trellis.kv.server.KvServer;
import dev.trellis.kv.server.ServerConfig;
import dev.trellis.observer.Observer;
import dev.trellis.observer.ObserverConfig;
import dev.trellis.otp.Application;
import dev.trellis.otp.ApplicationStopped;
import dev.trellis.otp.Kernel;
import dev.trellis.otp.Match;
import dev.trellis.otp.SpawnOptions;
import dev.trellis.otp.StartResult;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/// `./kv server`: starts the KV application, its TCP server (application `kv_server`) and the web
/// Observer, logs the address each listens on, and runs until SIGTERM or SIGINT; then stops the
/// Observer, the TCP server and the KV tree in that order and exits 0. If either tree dies on its
/// own (its restart intensity exceeded), the command exits 1.
///
/// `--observer PORT` serves the Observer on 127.0.0.1:PORT (default 4000; 0 picks a free port,
/// logged as `observer listening on http://127.0.0.1:PORT`), `--observer off` does not start it;
/// `--observer-actions` lets it kill processes and show their state.
@Command(
        name = "server",
        mixinStandardHelpOptions = true,
        description = "Run the KV store, its TCP server and the Observer.")
final class ServerCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger("dev.trellis.app.Server");

    @CommandLine.Spec
    @SuppressWarnings("NullAway.Init")
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--port",
            defaultValue = "4040",
            description = "TCP port (0 picks a free one). Default: ${DEFAULT-VALUE}")
    int port;

    @Option(
            names = "--bind",
            defaultValue = "127.0.0.1",
            description = "Address to listen on. Default: ${DEFAULT-VALUE}")
    String bind = "127.0.0.1";

    @Option(
            names = "--observer",
            defaultValue = "4000",
            description = "Observer port on 127.0.0.1 (0 picks a free one), or off. Default: ${DEFAULT-VALUE}")
    String observer = "4000";

    @Option(
            names = "--observer-actions",
            description = "Allow killing processes and reading their state from the Observer.")
    boolean observerActions;

    @Option(
            names = "--max-line",
            defaultValue = "65536",
            description = "Longest request line in bytes. Default: ${DEFAULT-VALUE}")
    int maxLine;

    @Option(names = "--max-connections", defaultValue = "10000", description = "Default: ${DEFAULT-VALUE}")
    int maxConnections;

    @Option(names = "--max-buckets", defaultValue = "1000000", description = "Default: ${DEFAULT-VALUE}")
    int maxBuckets;

    @Option(
            names = "--idle-timeout",
            defaultValue = "300s",
            converter = DurationConverter.class,
            description = "Disconnect idle clients after this long. Default: ${DEFAULT-VALUE}")
    Duration idleTimeout = Duration.ofSeconds(300);

    /// The application that runs the TCP server.
    static final String SERVER_APPLICATION = "kv_server";

    private InetAddress address = InetAddress.getLoopbackAddress();

    @Override
    public Integer call() throws InterruptedException {
        validate();
        CountDownLatch ended = new CountDownLatch(1);
        AtomicInteger exitCode = new AtomicInteger();
        CountDownLatch subscribed = new CountDownLatch(1);
        Kernel.spawn(
                () -> {
                    Application.subscribe();
                    subscribed.countDown();
                    for (; ; ) { // until the kv application, stopped last, is down
                        ApplicationStopped stopped = Kernel.receive(Match.type(ApplicationStopped.class));
                        if (!stopped.reason().equals(Application.STOPPED)) {
                            LOG.error("the {} application died: {}", stopped.name(), stopped.reason());
                            exitCode.set(1);
                            Application.stop(SERVER_APPLICATION);
                            Kv.stop();
                        }
                        if (stopped.name().equals(Kv.APPLICATION)) {
                            break;
                        }
                    }
                    ended.countDown();
                },
                SpawnOptions.defaults().label("kv server watcher"));
        subscribed.await();
        AtomicReference<@Nullable Observer> web = new AtomicReference<>();
        SignalHandler stop = sig -> {
            LOG.info("SIG{} received, stopping", sig.getName());
            closeObserver(web);
            Application.stop(SERVER_APPLICATION);
            Kv.stop();
        };
        Signal.handle(new Signal("TERM"), stop);
        Signal.handle(new Signal("INT"), stop);
        KvConfig kv = KvConfig.defaults().maxBuckets(maxBuckets);
        StartResult started = Kv.start(kv);
        if (!(started instanceof StartResult.Ok)) {
            LOG.error("the kv application did not start: {}", started);
            return 1;
        }
        ServerConfig server =
                ServerConfig.defaults(kv).bind(address).port(port).limits(maxLine, maxConnections, idleTimeout);
        StartResult listening = Application.start(SERVER_APPLICATION, () -> KvServer.startLink(server));
        if (!(listening instanceof StartResult.Ok)) {
            LOG.error("the kv server did not start: {}", listening);
            Kv.stop();
            return 1;
        }
        if (!observer.equals("off")) {
            try {
                Observer running = Observer.start(ObserverConfig.defaults()
                        .port(Integer.parseInt(observer))
                        .actions(observerActions));
                web.set(running);
                LOG.info(
                        "observer listening on {}{}",
                        running.uri().toString().replaceAll("/$", ""),
                        observerActions ? " (actions on)" : "");
            } catch (IOException e) {
                LOG.error("the observer cannot listen on 127.0.0.1:{}: {}", observer, e.toString());
                Application.stop(SERVER_APPLICATION);
                Kv.stop();
                ended.await();
                return 1;
            }
        }
        ended.await();
        closeObserver(web);
        LOG.info("stopped");
        return exitCode.get();
    }

    private static void closeObserver(AtomicReference<@Nullable Observer> web) {
        Observer o = web.getAndSet(null);
        if (o != null) {
            o.close();
        }
    }

    private void validate() {
        check(port >= 0 && port <= 65535, "--port must be 0..65535, got " + port);
        check(
                observer.equals("off") || isPort(observer),
                "--observer must be a port (0..65535) or off, got " + observer);
        check(maxLine > 0, "--max-line must be positive, got " + maxLine);
        check(maxConnections > 0, "--max-connections must be positive, got " + maxConnections);
        check(maxBuckets > 0, "--max-buckets must be positive, got " + maxBuckets);
        check(
                !idleTimeout.isNegative() && !idleTimeout.isZero(),
                "--idle-timeout must be positive, got " + idleTimeout);
        try {
            address = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            check(false, "--bind must be an address, got " + bind);
        }
    }

    private static boolean isPort(String s) {
        try {
            int p = Integer.parseInt(s);
            return p >= 0 && p <= 65535;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private void check(boolean ok, String message) {
        if (!ok) {
            throw new CommandLine.ParameterException(spec.commandLine(), message);
        }
    }
}
