package dev.trellis.app;

import dev.trellis.bench.Metric;
import dev.trellis.bench.MicroBench;
import dev.trellis.bench.Regression;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/// `./kv bench`: benchmarks (DESIGN §7).
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Run benchmarks.",
        subcommands = {BenchCommand.Micro.class, BenchCommand.Load.class})
final class BenchCommand implements Runnable {
    @CommandLine.Spec
    @SuppressWarnings("NullAway.Init")
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a benchmark kind is required: micro, load");
    }

    /// `./kv bench micro [--json] [--only a,b] [--compare [FILE]] [--threshold 25]`.
    @Command(
            name = "micro",
            mixinStandardHelpOptions = true,
            description = "Runtime micro-benchmarks, one figure per metric.")
    static final class Micro implements Callable<Integer> {
        @CommandLine.Spec
        @SuppressWarnings("NullAway.Init")
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--json", description = "One JSON object per line: {\"name\",\"value\",\"unit\"}.")
        boolean json;

        @Option(names = "--only", split = ",", description = "Run only these metrics.")
        List<String> only = new ArrayList<>();

        @Option(
                names = "--compare",
                arity = "0..1",
                paramLabel = "FILE",
                fallbackValue = "docs/benchmarks.md",
                description = "Compare with the figures recorded in FILE (default: docs/benchmarks.md); "
                        + "exit 1 on a regression.")
        @Nullable
        Path compare;

        @Option(
                names = "--threshold",
                defaultValue = "25",
                description = "Percent worse that counts as a regression. Default: ${DEFAULT-VALUE}")
        double threshold = 25;

        @Override
        public Integer call() throws Exception {
            Map<String, Metric> recorded = null;
            if (compare != null) {
                if (!Files.isReadable(compare)) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--compare: cannot read " + compare);
                }
                recorded = Regression.recorded(Files.readString(compare));
                if (recorded.isEmpty()) {
                    throw new CommandLine.ParameterException(
                            spec.commandLine(), "--compare: " + compare + " has no block after " + Regression.MARKER);
                }
            }
            if (threshold <= 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--threshold must be positive");
            }
            PrintWriter err = spec.commandLine().getErr();
            try (BenchReports reports = BenchReports.redirect()) {
                int code = MicroBench.run(only, json, spec.commandLine().getOut(), err, recorded, threshold);
                String summary = reports.summary();
                if (summary != null) {
                    err.println(summary);
                }
                return code;
            }
        }
    }

    /// `./kv bench load [--host] [--port] [--clients 64] [--seconds 10] [--mix get=50,put=50] [--json]`.
    /// Exits 1 at once, saying so, when nothing listens on the port (rather than counting ten
    /// seconds of refused connections as errors).
    @Command(
            name = "load",
            mixinStandardHelpOptions = true,
            description = "Closed-loop load on a running server: ops/s and latency percentiles.")
    static final class Load implements Callable<Integer> {
        @CommandLine.Spec
        @SuppressWarnings("NullAway.Init")
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--host", defaultValue = "127.0.0.1", description = "Default: ${DEFAULT-VALUE}")
        String host = "127.0.0.1";

        @Option(names = "--port", defaultValue = "4040", description = "Default: ${DEFAULT-VALUE}")
        int port;

        @Option(names = "--clients", defaultValue = "64", description = "Connections. Default: ${DEFAULT-VALUE}")
        int clients;

        @Option(names = "--seconds", defaultValue = "10", description = "Default: ${DEFAULT-VALUE}")
        int seconds;

        @Option(names = "--mix", defaultValue = "get=50,put=50", description = "Request mix. Default: ${DEFAULT-VALUE}")
        String mix = "get=50,put=50";

        @Option(names = "--json", description = "One JSON object: {ops_per_sec, p50_us, p99_us, p999_us, errors}.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            if (clients < 1 || seconds < 1 || port < 1 || port > 65535) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--clients and --seconds must be positive and --port 1..65535");
            }
            int gets = parseMix(mix);
            java.net.InetSocketAddress target = new java.net.InetSocketAddress(host, port);
            if (target.isUnresolved()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "unknown host " + host);
            }
            try (java.net.Socket probe = new java.net.Socket()) {
                probe.connect(target, 5_000);
            } catch (java.io.IOException e) {
                spec.commandLine()
                        .getErr()
                        .println("kv bench load: cannot connect to " + host + ":" + port + ": " + e.getMessage()
                                + " (is ./kv server --port " + port + " running?)");
                return 1;
            }
            dev.trellis.bench.LoadGenerator.Result r =
                    dev.trellis.bench.LoadGenerator.run(target, clients, seconds, gets, System.err);
            System.out.println(json ? r.json() : r.human());
            return 0;
        }

        private int parseMix(String text) {
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile("get=(\\d+),put=(\\d+)").matcher(text);
            if (!m.matches() || Integer.parseInt(m.group(1)) + Integer.parseInt(m.group(2)) != 100) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--mix must be get=N,put=M with N+M=100, got " + text);
            }
            return Integer.parseInt(m.group(1));
        }
    }
}
