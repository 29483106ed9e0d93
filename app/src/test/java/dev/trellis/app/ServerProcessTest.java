package dev.trellis.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/// `kv server` as a user runs it: a separate JVM, talked to over TCP and HTTP, stopped with
/// SIGTERM.
class ServerProcessTest {

    @Test
    void serverServesTheProtocolAndTheObserverOnTheLoggedPortsAndExitsZeroOnSigterm() throws Exception {
        try (ServerJvm server = new ServerJvm()) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.tcpPort())) {
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                out.write("CREATE shopping\r\nPUT shopping milk 1\r\nGET shopping milk\r\n"
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
                byte[] reply = s.getInputStream().readNBytes("OK\r\nOK\r\n1\r\nOK\r\n".length());
                assertThat(new String(reply, StandardCharsets.UTF_8)).isEqualTo("OK\r\nOK\r\n1\r\nOK\r\n");
            }
            URI observer = URI.create("http://127.0.0.1:" + server.observerPort() + "/api/system");
            HttpResponse<String> system = HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(observer).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(system.statusCode()).isEqualTo(200);
            assertThat(system.body()).contains("\"actions\":false");
            assertThat(server.terminate()).isZero();
            assertThat(server.log())
                    .contains("kv started: kv_supervisor (one_for_all) -> [kv_bucket_supervisor, kv_registry]")
                    .contains("SIGTERM received, stopping")
                    .contains("stopped");
        }
    }

    @Test
    void anObserverPortInUseStopsTheServerWithExitCode1() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ServerJvm server = new ServerJvm("--observer", String.valueOf(taken.getLocalPort()))) {
            assertThat(server.awaitExit()).isEqualTo(1);
            assertThat(server.log())
                    .contains("the observer cannot listen on 127.0.0.1:" + taken.getLocalPort())
                    .contains("application kv exited: stopped");
        }
    }

    @Test
    void observerOffStartsNoObserver() throws Exception {
        try (ServerJvm server = new ServerJvm("--observer", "off")) {
            server.tcpPort();
            assertThat(server.terminate()).isZero();
            assertThat(server.log()).doesNotContain("observer listening");
        }
    }
}
