package dev.trellis.reliability;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/// One client connection speaking the protocol in ISO-8859-1 strings (one char per byte).
final class Wire implements AutoCloseable {
    /// Appended to what was read when the server closed the connection.
    static final String EOF = "<EOF>";

    final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    Wire(InetSocketAddress at, int timeoutMillis) throws IOException {
        socket = new Socket(at.getAddress(), at.getPort());
        socket.setSoTimeout(timeoutMillis);
        socket.setTcpNoDelay(true);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    void send(String bytes) throws IOException {
        send(bytes.getBytes(StandardCharsets.ISO_8859_1));
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /// One reply line with its `\r\n`; what was left followed by [#EOF] if the server closed.
    String line() throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        for (int c = in.read(); c >= 0; c = in.read()) {
            got.write(c);
            if (c == '\n') {
                return got.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return got.toString(StandardCharsets.ISO_8859_1) + EOF;
    }

    /// The reply to a request: one line, or for a GET that found its bucket the value line and
    /// `OK`.
    String reply(boolean get) throws IOException {
        String first = line();
        return get && !first.equals("NOT FOUND\r\n") && !first.endsWith(EOF) ? first + line() : first;
    }

    /// Everything until the server closes, followed by [#EOF].
    String toEnd() throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1) + EOF;
    }

    /// Closes with a reset (RST) instead of a FIN.
    void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
