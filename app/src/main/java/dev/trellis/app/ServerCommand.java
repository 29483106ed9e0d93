package dev.trellis.app;

import dev.trellis.otp.Down;
import dev.trellis.otp.ExitReason;
import dev.trellis.otp.Kernel;
import dev.trellis.otp.Pid;
import dev.trellis.otp.Ref;
import dev.trellis.otp.SpawnOptions;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/// `./kv server`: starts the system and runs until SIGTERM or SIGINT, then stops it in order and
/// exits 0.
///
/// Until the KV store lands, this starts the runtime only (a root process) and says so; it opens
/// no port.
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
            description = "Observer port, or off. Default: ${DEFAULT-VALUE}")
    String observer = "4000";

    @Option(names = "--observer-actions", description = "Allow killing processes from the Observer.")
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

    @Override
    public Integer call() throws InterruptedException {
        validate();
        CountDownLatch stopped = new CountDownLatch(1);
        Pid root = Kernel.spawn(
                        () -> {
                            LOG.info(
                                    "Trellis runtime up on Java {} (root process {}); the KV store, TCP server and Observer are not part of this build yet",
                                    Runtime.version(),
                                    Kernel.self());
                            Kernel.receive();
                        },
                        SpawnOptions.defaults().label("trellis root"))
                .pid();
        Kernel.spawn(
                () -> {
                    Ref ref = Kernel.monitor(root);
                    Down down = Kernel.receive(m -> m instanceof Down d && d.ref() == ref ? d : null);
                    LOG.info("root process exited: {}", down.reason());
                    stopped.countDown();
                },
                SpawnOptions.defaults().label("trellis root watcher"));
        SignalHandler stop = sig -> {
            LOG.info("SIG{} received, stopping", sig.getName());
            Kernel.exit(root, ExitReason.SHUTDOWN);
        };
        Signal.handle(new Signal("TERM"), stop);
        Signal.handle(new Signal("INT"), stop);
        stopped.await();
        return 0;
    }

    private void validate() {
        check(port >= 0 && port <= 65535, "--port must be 0..65535, got " + port);
        check(
                observer.equals("off") || isPort(observer),
                "--observer must be a port (1..65535) or off, got " + observer);
        check(maxLine > 0, "--max-line must be positive, got " + maxLine);
        check(maxConnections > 0, "--max-connections must be positive, got " + maxConnections);
        check(maxBuckets > 0, "--max-buckets must be positive, got " + maxBuckets);
        check(
                !idleTimeout.isNegative() && !idleTimeout.isZero(),
                "--idle-timeout must be positive, got " + idleTimeout);
        check(!bind.isBlank(), "--bind must be an address");
    }

    private static boolean isPort(String s) {
        try {
            int p = Integer.parseInt(s);
            return p > 0 && p <= 65535;
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
