package dev.trellis.app;

import dev.trellis.reliability.Soak;
import dev.trellis.reliability.SoakReport;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/// `./kv soak [--seconds 60] [--clients 50] [--abusive 5%] [--json]`: a server in this JVM under
/// well-formed clients checked against a model, abusive clients and random bucket kills
/// ([Soak]). Exits 0 only if there was no wrong reply, no leak, no restart, the acceptor
/// survived and a fresh client works; 1 otherwise.
@Command(
        name = "soak",
        mixinStandardHelpOptions = true,
        description = "Run a server under well-formed and abusive loopback clients and bucket kills; "
                + "report wrong replies, leaks and restarts.")
final class SoakCommand implements Callable<Integer> {
    @CommandLine.Spec
    @SuppressWarnings("NullAway.Init")
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--seconds",
            defaultValue = "60",
            description = "How long the clients run. Default: ${DEFAULT-VALUE}")
    int seconds;

    @Option(names = "--clients", defaultValue = "50", description = "Clients in all. Default: ${DEFAULT-VALUE}")
    int clients;

    @Option(
            names = "--abusive",
            defaultValue = "5%",
            description = "Share of the clients that misbehave, in percent. Default: ${DEFAULT-VALUE}")
    String abusive = "5%";

    @Option(
            names = "--json",
            description =
                    "One JSON object: {requests, wrong_replies, leaked_processes, restarts, fresh_client_ok, ...}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (seconds < 1 || clients < 1) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--seconds and --clients must be positive, got " + seconds + " and " + clients);
        }
        String percent = abusive.endsWith("%") ? abusive.substring(0, abusive.length() - 1) : abusive;
        int abusivePercent;
        try {
            abusivePercent = Integer.parseInt(percent.strip());
        } catch (NumberFormatException e) {
            abusivePercent = -1;
        }
        if (abusivePercent < 0 || abusivePercent > 100) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--abusive must be a percentage 0..100 (like 5%), got " + abusive);
        }
        SoakReport report = Soak.run(
                new Soak.Options(Duration.ofSeconds(seconds), clients, abusivePercent),
                new PrintStream(new WriterOutputStream(spec.commandLine().getErr()), true));
        spec.commandLine().getOut().println(json ? report.json() : report.human());
        return report.ok() ? 0 : 1;
    }
}
