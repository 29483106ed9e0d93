package dev.trellis.app;

import dev.trellis.bench.MicroBench;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/// `./kv bench`: benchmarks (DESIGN §7).
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Run benchmarks.",
        subcommands = {BenchCommand.Micro.class})
final class BenchCommand implements Runnable {
    @CommandLine.Spec
    @SuppressWarnings("NullAway.Init")
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a benchmark kind is required: micro");
    }

    /// `./kv bench micro [--json] [--only a,b]`.
    @Command(
            name = "micro",
            mixinStandardHelpOptions = true,
            description = "Runtime micro-benchmarks, one figure per metric.")
    static final class Micro implements Callable<Integer> {
        @Option(names = "--json", description = "One JSON object per line: {\"name\",\"value\",\"unit\"}.")
        boolean json;

        @Option(names = "--only", split = ",", description = "Run only these metrics.")
        List<String> only = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            return MicroBench.run(only, json, System.out, System.err);
        }
    }
}
