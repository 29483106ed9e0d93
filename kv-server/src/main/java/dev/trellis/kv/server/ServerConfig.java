package dev.trellis.kv.server;

import dev.trellis.kv.KvConfig;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/// How the TCP server listens and what it tolerates (DESIGN §1 and §5).
///
/// | field | `./kv server` flag | default |
/// |---|---|---|
/// | `bind` | `--bind` | 127.0.0.1 |
/// | `port` | `--port` (0: any free port) | 4040 |
/// | `maxLine` | `--max-line` | 65,536 bytes |
/// | `maxConnections` | `--max-connections` | 10,000 |
/// | `idleTimeout` | `--idle-timeout` | 300 s |
/// | `writeTimeout` | — | 30 s: a client that stops reading replies is disconnected |
/// | `kv` | — | the KV tree the commands run against |
///
/// @param bind the address to listen on
/// @param port the port, 0 for any free one
/// @param maxLine the longest request line accepted, in bytes, without its line end
/// @param maxConnections connections served at once
/// @param idleTimeout how long a connection may send nothing
/// @param writeTimeout how long a reply may wait for the client to read
/// @param kv the KV tree's names
/// @param name a suffix for the server's process names (tests run several servers)
public record ServerConfig(
        InetAddress bind,
        int port,
        int maxLine,
        int maxConnections,
        Duration idleTimeout,
        Duration writeTimeout,
        KvConfig kv,
        String name) {

    public ServerConfig {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(writeTimeout, "writeTimeout");
        Objects.requireNonNull(kv, "kv");
        Objects.requireNonNull(name, "name");
        if (port < 0 || port > 65535 || maxLine < 1 || maxConnections < 1) {
            throw new IllegalArgumentException("invalid server config " + port + "/" + maxLine + "/" + maxConnections);
        }
    }

    /// The defaults, serving `kv`.
    public static ServerConfig defaults(KvConfig kv) {
        return new ServerConfig(
                InetAddress.getLoopbackAddress(),
                4040,
                65_536,
                10_000,
                Duration.ofSeconds(300),
                Duration.ofSeconds(30),
                kv,
                "");
    }

    /// The same with another port.
    public ServerConfig port(int newPort) {
        return new ServerConfig(bind, newPort, maxLine, maxConnections, idleTimeout, writeTimeout, kv, name);
    }

    /// The same with other limits.
    public ServerConfig limits(int newMaxLine, int newMaxConnections, Duration newIdleTimeout) {
        return new ServerConfig(bind, port, newMaxLine, newMaxConnections, newIdleTimeout, writeTimeout, kv, name);
    }

    /// The same with another write timeout.
    public ServerConfig writeTimeout(Duration timeout) {
        return new ServerConfig(bind, port, maxLine, maxConnections, idleTimeout, timeout, kv, name);
    }

    /// The same with another bind address.
    public ServerConfig bind(InetAddress address) {
        return new ServerConfig(address, port, maxLine, maxConnections, idleTimeout, writeTimeout, kv, name);
    }

    /// The same with process names suffixed by `suffix`.
    public ServerConfig name(String suffix) {
        return new ServerConfig(bind, port, maxLine, maxConnections, idleTimeout, writeTimeout, kv, suffix);
    }

    String acceptorName() {
        return name.isEmpty() ? "kv_server_acceptor" : "kv_server_acceptor_" + name;
    }

    String connectionsName() {
        return name.isEmpty() ? "kv_server_connections" : "kv_server_connections_" + name;
    }
}
