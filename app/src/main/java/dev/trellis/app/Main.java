package dev.trellis.app;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/// `./kv`: the command line of Trellis (DESIGN §1).
///
/// Every command prints human-readable output by default and JSON with `--json` where it
/// reports figures. A bad flag or value prints one line on stderr and exits 2.
@Command(
        name = "kv",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Trellis: Erlang/OTP semantics on virtual threads, and the Mix and OTP key-value store.",
        subcommands = {
            ServerCommand.class,
            ClientCommand.class,
            BenchCommand.class,
            SoakCommand.class,
            FuzzCommand.class
        })
public final class Main implements Runnable {
    /// Exit code for bad usage.
    static final int USAGE = 2;

    @CommandLine.Spec
    @SuppressWarnings("NullAway.Init")
    CommandLine.Model.CommandSpec spec;

    /// Runs the command line and exits with its code.
    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /// Runs the command line; returns the exit code.
    static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("kv: " + ex.getMessage() + " (see --help)");
            return USAGE;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "a command is required: server, client, bench, soak, fuzz");
    }

    /// The version from the jar manifest.
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"trellis " + (v == null ? "dev" : v) + " on Java " + Runtime.version()};
        }
    }
}
