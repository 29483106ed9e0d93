package dev.trellis.reliability;

import java.nio.charset.StandardCharsets;

/// A target with a planted bug, for the session's own test: a line starting `PUT` whose bucket
/// is `zz` fails.
public final class PlantedBugTarget {
    private PlantedBugTarget() {}

    public static void fuzzerTestOneInput(byte[] data) {
        String line = new String(data, StandardCharsets.ISO_8859_1);
        if (line.startsWith("PUT zz")) {
            throw new IllegalStateException("planted bug");
        }
    }
}
