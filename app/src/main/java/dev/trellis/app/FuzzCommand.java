package dev.trellis.app;

import dev.trellis.reliability.FuzzSession;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/// `./kv fuzz [--seconds 60] [--target parse|connection|all] [--json]`: a bounded,
/// coverage-guided Jazzer session on the protocol parser and the connection loop
/// ([FuzzSession]). Reports executions and findings; exits 1 on a finding (its input is kept in
/// `findings/`).
@Command(
        name = "fuzz",
        mixinStandardHelpOptions = true,
        description = "Fuzz the protocol parser and the connection loop (Jazzer) for a bounded time.")
final class FuzzCommand implements Callable<Integer> {
    @CommandLine.Spec
    @SuppressWarnings("NullAway.Init")
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--seconds",
            defaultValue = "60",
            description = "Total time, shared by the targets. Default: ${DEFAULT-VALUE}")
    int seconds;

    @Option(
            names = "--target",
            defaultValue = "all",
            description = "parse, connection or all. Default: ${DEFAULT-VALUE}")
    String target = "all";

    @Option(names = "--json", description = "One JSON object: {executions, findings, targets: [...]}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (seconds < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--seconds must be positive, got " + seconds);
        }
        List<String> targets = target.equals("all") ? FuzzSession.TARGETS : List.of(target);
        if (!FuzzSession.TARGETS.containsAll(targets)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--target must be parse, connection or all, got " + target);
        }
        List<FuzzSession.Result> results = FuzzSession.run(
                targets,
                seconds,
                new PrintStream(new WriterOutputStream(spec.commandLine().getErr()), true));
        spec.commandLine().getOut().println(json ? FuzzSession.json(results) : FuzzSession.human(results));
        return results.stream().anyMatch(FuzzSession.Result::failed) ? 1 : 0;
    }
}
