package dev.trellis.kv.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/// A test client for the protocol: send bytes, read what the server answers.
final class Client implements AutoCloseable {
    final Socket socket;
    private final InputStream in;

    Client(InetSocketAddress at) throws IOException {
        socket = new Socket(at.getAddress(), at.getPort());
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
    }

    void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    void send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    /// Reads exactly `n` bytes (fails after the socket timeout).
    String read(int n) throws IOException {
        byte[] b = in.readNBytes(n);
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /// Reads one reply line, with its \r\n.
    String line() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int c = in.read(); c >= 0; c = in.read()) {
            out.write(c);
            if (c == '\n') {
                break;
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /// Sends `request` and reads one reply line (the guide's send_and_recv).
    String sendAndRecv(String request) throws IOException {
        if (!request.isEmpty()) {
            send(request);
        }
        return line();
    }

    /// Everything until the server closes.
    String readToEnd() throws IOException {
        try {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close the connection", e);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
