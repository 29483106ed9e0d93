package dev.trellis.reliability;

/// The Jazzer entry point for [FuzzTargets#parse(byte[])] (`./kv fuzz --target parse`).
public final class ParseTarget {
    private ParseTarget() {}

    /// Called by Jazzer with each input.
    public static void fuzzerTestOneInput(byte[] data) {
        FuzzTargets.parse(data);
    }
}
