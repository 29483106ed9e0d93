package dev.trellis.observer;

import java.net.InetAddress;
import java.util.Objects;

/// How the Observer is served.
///
/// | option | default | meaning |
/// |---|---|---|
/// | [#bind()] | loopback (`127.0.0.1`) | the address to listen on; the Observer can kill processes, keep it local |
/// | [#port()] | 4000 | the port; 0 picks a free one ([Observer#port()] tells which) |
/// | [#actions()] | off | whether the UI and API may kill processes and read their state |
///
/// @param bind the address to listen on
/// @param port the port, 0..65535
/// @param actions whether kill and state view are allowed
public record ObserverConfig(InetAddress bind, int port, boolean actions) {
    /// The default port.
    public static final int DEFAULT_PORT = 4000;

    public ObserverConfig {
        Objects.requireNonNull(bind, "bind");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
    }

    /// Loopback, port 4000, no actions.
    public static ObserverConfig defaults() {
        return new ObserverConfig(InetAddress.getLoopbackAddress(), DEFAULT_PORT, false);
    }

    /// This config on another port.
    public ObserverConfig port(int newPort) {
        return new ObserverConfig(bind, newPort, actions);
    }

    /// This config with actions allowed or not.
    public ObserverConfig actions(boolean allowed) {
        return new ObserverConfig(bind, port, allowed);
    }

    /// This config on another address.
    public ObserverConfig bind(InetAddress address) {
        return new ObserverConfig(address, port, actions);
    }
}
