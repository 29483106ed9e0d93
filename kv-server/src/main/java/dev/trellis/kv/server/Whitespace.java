package dev.trellis.kv.server;

/// The whitespace of Elixir's `String.split/1`, recognised in UTF-8 bytes.
final class Whitespace {
    /*
     * Elixir: String.split/1 splits on Unicode whitespace (String.Break's definition), which is
     * Unicode's White_Space property minus the non-breaking spaces U+00A0, U+2007 and U+202F.
     * In UTF-8 a multi-byte character starts with a lead byte that can never be a continuation,
     * so matching these sequences at any position finds exactly the whitespace characters of a
     * valid string; in invalid UTF-8 the other bytes are ordinary token bytes.
     */
    private Whitespace() {}

    /// The length in bytes of the whitespace character at `line[i]`, or 0 if there is none.
    static int length(byte[] line, int i, int to) {
        int b = line[i] & 0xff;
        switch (b) {
            case ' ', '\t', '\n', 0x0b, '\f', '\r' -> {
                return 1;
            }
            case 0xc2 -> { // U+0085 NEXT LINE = C2 85 (U+00A0 = C2 A0 is not whitespace here)
                return i + 1 < to && (line[i + 1] & 0xff) == 0x85 ? 2 : 0;
            }
            case 0xe1 -> { // U+1680 OGHAM SPACE MARK = E1 9A 80
                return i + 2 < to && (line[i + 1] & 0xff) == 0x9a && (line[i + 2] & 0xff) == 0x80 ? 3 : 0;
            }
            case 0xe2 -> {
                if (i + 2 >= to) {
                    return 0;
                }
                int b1 = line[i + 1] & 0xff;
                int b2 = line[i + 2] & 0xff;
                if (b1 == 0x80) {
                    // U+2000..U+200A = E2 80 80..8A except U+2007 (8A is U+200A); U+2028, U+2029
                    boolean spaces = b2 >= 0x80 && b2 <= 0x8a && b2 != 0x87;
                    return spaces || b2 == 0xa8 || b2 == 0xa9 ? 3 : 0; // U+202F = E2 80 AF: not
                }
                return b1 == 0x81 && b2 == 0x9f ? 3 : 0; // U+205F MEDIUM MATHEMATICAL SPACE
            }
            case 0xe3 -> { // U+3000 IDEOGRAPHIC SPACE = E3 80 80
                return i + 2 < to && (line[i + 1] & 0xff) == 0x80 && (line[i + 2] & 0xff) == 0x80 ? 3 : 0;
            }
            default -> {
                return 0;
            }
        }
    }
}
