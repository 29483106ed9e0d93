package dev.trellis.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/// `./kv client`: an interactive line client for the protocol, like telnet with line editing and
/// history (kept in `~/.kv_history`). Each line typed is sent with `\r\n`; the server's replies are
/// printed as they arrive. Ctrl-D or the server closing ends it. Works with piped input too.
@Command(name = "client", mixinStandardHelpOptions = true, description = "Talk to a KV server, line by line.")
final class ClientCommand implements Callable<Integer> {
    @CommandLine.Spec
    @SuppressWarnings("NullAway.Init")
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Default: ${DEFAULT-VALUE}")
    String host = "127.0.0.1";

    @Option(names = "--port", defaultValue = "4040", description = "Default: ${DEFAULT-VALUE}")
    int port;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (port < 1 || port > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port must be 1..65535, got " + port);
        }
        Socket socket;
        try {
            socket = new Socket(host, port);
        } catch (IOException e) {
            System.err.println("kv client: cannot connect to " + host + ":" + port + ": " + e.getMessage());
            return 1;
        }
        try (socket;
                Terminal terminal =
                        TerminalBuilder.builder().system(true).dumb(true).build()) {
            LineReader reader = LineReaderBuilder.builder()
                    .terminal(terminal)
                    .variable(LineReader.HISTORY_FILE, Path.of(System.getProperty("user.home"), ".kv_history"))
                    .build();
            boolean interactive = !terminal.getType().startsWith("dumb");
            PrintStream out = new PrintStream(terminal.output(), true, StandardCharsets.UTF_8);
            Thread replies = Thread.ofPlatform()
                    .daemon()
                    .start(() -> copyReplies(socket, interactive ? new AboveThePrompt(reader) : out));
            OutputStream server = socket.getOutputStream();
            String prompt = interactive ? "kv> " : "";
            for (; ; ) {
                String line;
                try {
                    line = reader.readLine(prompt);
                } catch (EndOfFileException | UserInterruptException e) {
                    break;
                }
                if (!replies.isAlive()) {
                    break;
                }
                server.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
                server.flush();
            }
            socket.shutdownOutput(); // the server answers what it has, then closes
            replies.join(5_000);
        }
        return 0;
    }

    /// Prints whole reply lines above the prompt, so typing is never interleaved with replies.
    private static final class AboveThePrompt extends OutputStream {
        private final LineReader reader;
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

        AboveThePrompt(LineReader reader) {
            this.reader = reader;
        }

        @Override
        public void write(int b) {
            if (b == '\n') {
                reader.printAbove(line.toString(StandardCharsets.UTF_8).stripTrailing());
                line.reset();
            } else {
                line.write(b);
            }
        }
    }

    private static void copyReplies(Socket socket, OutputStream out) {
        try (InputStream in = socket.getInputStream()) {
            byte[] buf = new byte[8192];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException closed) {
            // the connection ended
        }
    }
}
