package dev.trellis.reliability;

/// The Jazzer entry point for [FuzzTargets#connection(byte[])] (`./kv fuzz --target connection`).
public final class ConnectionTarget {
    private ConnectionTarget() {}

    /// Called by Jazzer with each input.
    public static void fuzzerTestOneInput(byte[] data) {
        FuzzTargets.connection(data);
    }
}
