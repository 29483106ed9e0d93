package dev.trellis.kv.server;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/// Every parsing rule of DESIGN §5.
class CommandTest {

    private static Command parse(String line) {
        return Command.parse(line.getBytes(UTF_8));
    }

    @Test
    void parsesTheFourCommands() {
        assertThat(parse("CREATE shopping\n")).isEqualTo(new Command.Create("shopping"));
        assertThat(parse("PUT shopping milk 1\n")).isEqualTo(new Command.Put("shopping", "milk", "1"));
        assertThat(parse("GET shopping milk\n")).isEqualTo(new Command.Get("shopping", "milk"));
        assertThat(parse("DELETE shopping eggs\n")).isEqualTo(new Command.Delete("shopping", "eggs"));
    }

    @Test
    void crlfAndLfEndingsParseTheSame() {
        assertThat(parse("GET shopping milk\r\n")).isEqualTo(parse("GET shopping milk\n"));
    }

    @Test
    void aLoneCrIsWhitespace() {
        assertThat(parse("GET\rshopping milk\n")).isEqualTo(new Command.Get("shopping", "milk"));
    }

    @Test
    void emptyAndWhitespaceOnlyLinesAreUnknown() {
        assertThat(parse("\n")).isEqualTo(new Command.Unknown());
        assertThat(parse("\r\n")).isEqualTo(new Command.Unknown());
        assertThat(parse(" \t \u000b\f\n")).isEqualTo(new Command.Unknown());
    }

    @Test
    void runsOfTabsAndSpacesSeparateTokens() {
        assertThat(parse("  PUT\t\tshopping  milk \t 3  \n")).isEqualTo(new Command.Put("shopping", "milk", "3"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\u0085", "\u1680", "\u2000", "\u2001", "\u2002", "\u2003", "\u2004", "\u2005", "\u2006", "\u2008",
                "\u2009", "\u200a", "\u2028", "\u2029", "\u205f", "\u3000", "\u000b", "\f"
            })
    void unicodeWhitespaceSeparatesTokens(String ws) {
        assertThat(parse("GET" + ws + "shopping" + ws + "milk\n")).isEqualTo(new Command.Get("shopping", "milk"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u00a0", "\u2007", "\u202f"})
    void nonBreakingSpacesAreNotSeparators(String nbsp) {
        Command c = parse("CREATE a" + nbsp + "b\n");
        assertThat(c).isInstanceOf(Command.Create.class);
        assertThat(Command.bytes(((Command.Create) c).bucket())).isEqualTo(("a" + nbsp + "b").getBytes(UTF_8));
        assertThat(parse("GET" + nbsp + "shopping milk\n")).isEqualTo(new Command.Unknown());
    }

    @Test
    void commandsAreUpperCaseOnly() {
        assertThat(parse("create shopping\n")).isEqualTo(new Command.Unknown());
        assertThat(parse("Get shopping milk\n")).isEqualTo(new Command.Unknown());
    }

    @Test
    void missingAndExtraArgumentsAreUnknown() {
        assertThat(parse("CREATE\n")).isEqualTo(new Command.Unknown());
        assertThat(parse("CREATE a b\n")).isEqualTo(new Command.Unknown());
        assertThat(parse("GET shopping\n")).isEqualTo(new Command.Unknown());
        assertThat(parse("PUT shopping milk\n")).isEqualTo(new Command.Unknown());
        assertThat(parse("DELETE shopping milk extra\n")).isEqualTo(new Command.Unknown());
    }

    @Test
    void aValueCannotContainWhitespace() {
        assertThat(parse("PUT b k two words\n")).isEqualTo(new Command.Unknown());
    }

    @Test
    void invalidUtf8AndNulBytesAreOrdinaryBytesThatRoundTrip() {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        line.writeBytes("PUT b\u0000x ".getBytes(UTF_8));
        byte[] key = {(byte) 0xff, (byte) 0xfe, (byte) 0xc3, 0x28, (byte) 0x80, (byte) 0xe2, (byte) 0x80};
        line.writeBytes(key);
        line.writeBytes(" v\n".getBytes(UTF_8));
        Command c = Command.parse(line.toByteArray());
        assertThat(c).isInstanceOf(Command.Put.class);
        Command.Put put = (Command.Put) c;
        assertThat(Command.bytes(put.bucket())).isEqualTo("b\u0000x".getBytes(UTF_8));
        assertThat(Command.bytes(put.key())).isEqualTo(key);
        assertThat(put.value()).isEqualTo("v");
    }

    @Test
    void aTruncatedMultiByteWhitespaceAtTheEndIsATokenByte() {
        byte[] line = {'C', 'R', 'E', 'A', 'T', 'E', ' ', 'b', (byte) 0xe2, (byte) 0x80};
        Command c = Command.parse(line);
        assertThat(c).isInstanceOf(Command.Create.class);
        assertThat(Command.bytes(((Command.Create) c).bucket())).isEqualTo(new byte[] {'b', (byte) 0xe2, (byte) 0x80});
    }

    @Test
    void parsesASliceOfABuffer() {
        byte[] buf = "xxGET b k\nyy".getBytes(ISO_8859_1);
        assertThat(Command.parse(buf, 2, 10)).isEqualTo(new Command.Get("b", "k"));
    }
}
