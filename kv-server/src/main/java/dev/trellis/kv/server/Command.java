package dev.trellis.kv.server;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/// One request of the guide's protocol, parsed from a line (the guide's `KVServer.Command.parse/1`).
///
/// | line | command |
/// |---|---|
/// | `CREATE bucket` | [Create] |
/// | `PUT bucket key value` | [Put] |
/// | `GET bucket key` | [Get] |
/// | `DELETE bucket key` | [Delete] |
/// | anything else: lower case, wrong arity, empty | [Unknown] |
///
/// Tokens are separated by whitespace as Elixir's `String.split/1` defines it: ASCII `\t \n \v \f
/// \r` and space, and the Unicode whitespace U+0085, U+1680, U+2000–U+2006, U+2008–U+200A,
/// U+2028, U+2029, U+205F and U+3000 (in UTF-8) — but not the non-breaking spaces U+00A0, U+2007
/// and U+202F. Any other byte, valid UTF-8 or not, belongs to a token.
///
/// ## Byte strings
///
/// Bucket names, keys and values are byte strings. They are carried as `String`s of ISO-8859-1
/// characters, one character per byte (`new String(bytes, ISO_8859_1)`), which round-trips every
/// byte sequence exactly: [#bytes(String)] gives the bytes back.
///
/// ## Examples
///
/// ```java
/// Command.parse("PUT shopping milk 1\r\n".getBytes(ISO_8859_1)); // Put[bucket=shopping, key=milk, value=1]
/// Command.parse("put shopping milk 1\n".getBytes(ISO_8859_1));   // Unknown
/// ```
public sealed interface Command {

    /// `CREATE bucket`.
    record Create(String bucket) implements Command {}

    /// `GET bucket key`.
    record Get(String bucket, String key) implements Command {}

    /// `PUT bucket key value`.
    record Put(String bucket, String key, String value) implements Command {}

    /// `DELETE bucket key`.
    record Delete(String bucket, String key) implements Command {}

    /// Any other line.
    record Unknown() implements Command {}

    /// Parses a whole line (its `\n`, if included, is whitespace like any other).
    static Command parse(byte[] line) {
        return parse(line, 0, line.length);
    }

    /// Parses `line[from, to)`.
    static Command parse(byte[] line, int from, int to) {
        List<String> t = tokens(line, from, to);
        if (t.isEmpty()) {
            return new Unknown();
        }
        return switch (t.getFirst()) {
            case "CREATE" -> t.size() == 2 ? new Create(t.get(1)) : new Unknown();
            case "GET" -> t.size() == 3 ? new Get(t.get(1), t.get(2)) : new Unknown();
            case "PUT" -> t.size() == 4 ? new Put(t.get(1), t.get(2), t.get(3)) : new Unknown();
            case "DELETE" -> t.size() == 3 ? new Delete(t.get(1), t.get(2)) : new Unknown();
            default -> new Unknown();
        };
    }

    /// The bytes a byte-string token stands for.
    static byte[] bytes(String token) {
        return token.getBytes(StandardCharsets.ISO_8859_1);
    }

    /// The tokens of `line[from, to)`, split on `String.split/1` whitespace.
    static List<String> tokens(byte[] line, int from, int to) {
        List<String> out = new ArrayList<>(4);
        int start = -1;
        int i = from;
        while (i < to) {
            int ws = Whitespace.length(line, i, to);
            if (ws > 0) {
                if (start >= 0) {
                    out.add(new String(line, start, i - start, StandardCharsets.ISO_8859_1));
                    start = -1;
                }
                i += ws;
            } else {
                if (start < 0) {
                    start = i;
                }
                i++;
            }
        }
        if (start >= 0) {
            out.add(new String(line, start, to - start, StandardCharsets.ISO_8859_1));
        }
        return out;
    }
}
