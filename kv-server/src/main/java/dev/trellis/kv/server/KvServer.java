package dev.trellis.kv.server;

import dev.trellis.otp.ChildSpec;
import dev.trellis.otp.DynamicSupervisor;
import dev.trellis.otp.DynamicSupervisorFlags;
import dev.trellis.otp.ExitReason;
import dev.trellis.otp.Kernel;
import dev.trellis.otp.Name;
import dev.trellis.otp.Pid;
import dev.trellis.otp.StartOptions;
import dev.trellis.otp.StartResult;
import dev.trellis.otp.Supervisor;
import dev.trellis.otp.SupervisorFlags;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// The KV store over TCP (the guide's `KVServer`): a supervisor over a connection supervisor and a
/// permanent acceptor; each accepted connection is served by its own temporary process.
///
/// ## Examples
///
/// ```java
/// Pid server = KvServer.startLink(ServerConfig.defaults(KvConfig.defaults()).port(0)).orThrow();
/// InetSocketAddress at = KvServer.address(config).orElseThrow(); // the port chosen for port 0
/// ```
///
/// ## How to supervise
///
/// [#childSpec(ServerConfig)] under the application's top supervisor, after the KV tree it
/// serves. Inside: `one_for_one` over the connection supervisor (a DynamicSupervisor of temporary
/// connection processes, `max_children` = `maxConnections`) and the acceptor (permanent).
///
/// ## Outcomes
///
/// - A connection that crashes ends only itself; the acceptor never serves a client itself, so a
///   client that connects and leaves at once cannot crash it (the guide's acceptor can).
/// - Past `maxConnections`, a new client gets `ERROR too many connections` and is closed;
///   accepting continues, and resumes serving once others leave.
/// - The acceptor killed: the supervisor restarts it on the same port (the port first bound when
///   configured with 0); open connections keep working.
/// - The port cannot be bound: start fails with the bind error.
public final class KvServer {
    /*
     * Mirrors the guide's kv_server application (KVServer.accept/loop_acceptor/serve), hardened
     * per DESIGN §5. The listening socket is bound in the acceptor's start function, inside the
     * supervisor, so a bind failure is a start failure and the port is known when start returns.
     */
    static final String TOO_MANY_CONNECTIONS = "ERROR too many connections\r\n";

    private static final Logger LOG = LoggerFactory.getLogger(KvServer.class);
    private static final ConcurrentHashMap<String, InetSocketAddress> BOUND = new ConcurrentHashMap<>();

    private KvServer() {}

    /// The server's tree: connection supervisor, then acceptor.
    public static StartResult startLink(ServerConfig config) {
        return Supervisor.startLink(children(config), SupervisorFlags.oneForOne(), options(config));
    }

    /// The server as a child of another supervisor.
    public static ChildSpec childSpec(ServerConfig config) {
        return Supervisor.childSpec(KvServer.class, children(config), SupervisorFlags.oneForOne(), options(config));
    }

    /// The address the server listens on, once bound.
    public static Optional<InetSocketAddress> address(ServerConfig config) {
        return Optional.ofNullable(BOUND.get(config.acceptorName()));
    }

    private static StartOptions options(ServerConfig config) {
        return StartOptions.defaults()
                .name(config.name().isEmpty() ? "kv_server" : "kv_server_" + config.name())
                .label("KvServer");
    }

    private static List<ChildSpec> children(ServerConfig config) {
        ChildSpec connections = DynamicSupervisor.childSpec(
                "connections",
                DynamicSupervisorFlags.defaults().maxChildren(config.maxConnections()),
                StartOptions.defaults().name(config.connectionsName()).label("ConnectionSupervisor"));
        ChildSpec acceptor = ChildSpec.worker("acceptor", () -> startAcceptor(config));
        return List.of(connections, acceptor);
    }

    private static StartResult startAcceptor(ServerConfig config) {
        ServerSocket server;
        try {
            server = new ServerSocket();
            server.setReuseAddress(true);
            InetSocketAddress previous = BOUND.get(config.acceptorName());
            int port = previous != null && config.port() == 0 ? previous.getPort() : config.port();
            server.bind(new InetSocketAddress(config.bind(), port), 1024);
        } catch (IOException e) {
            LOG.error("cannot listen on {}:{}: {}", config.bind().getHostAddress(), config.port(), e.toString());
            return new StartResult.Failed(ExitReason.crash(e));
        }
        InetSocketAddress bound = (InetSocketAddress) server.getLocalSocketAddress();
        BOUND.put(config.acceptorName(), bound);
        Pid acceptor = Kernel.spawnLink(() -> accept(server, config));
        Kernel.register(config.acceptorName(), acceptor);
        LOG.info("kv server listening on {}:{}", bound.getAddress().getHostAddress(), bound.getPort());
        return new StartResult.Ok(acceptor);
    }

    /// The acceptor's loop (the guide's `loop_acceptor/1`).
    private static void accept(ServerSocket server, ServerConfig config) throws IOException {
        Name connections = Name.local(config.connectionsName());
        try (server) {
            for (; ; ) {
                Socket client = server.accept();
                ChildSpec spec = ChildSpec.worker(
                                "connection",
                                () -> new StartResult.Ok(Kernel.spawnLink(() -> Connection.serve(client, config))))
                        .restart(ChildSpec.Restart.TEMPORARY)
                        .shutdown(ChildSpec.Shutdown.brutalKill());
                switch (DynamicSupervisor.startChild(connections, spec)) {
                    case DynamicSupervisor.Started s -> {}
                    case DynamicSupervisor.MaxChildren m -> refuse(client);
                    case DynamicSupervisor.Ignored i -> client.close();
                    case DynamicSupervisor.Failed f -> {
                        LOG.warn("could not start a connection process: {}", f.reason());
                        client.close();
                    }
                }
            }
        }
    }

    private static void refuse(Socket client) {
        try (client) {
            client.setSoTimeout(1000);
            OutputStream out = client.getOutputStream();
            out.write(TOO_MANY_CONNECTIONS.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            client.shutdownOutput();
        } catch (IOException gone) {
            // the client left first
        }
    }
}
