package dev.trellis.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/// docs/guide.md shows exactly the code [GuideExamplesTest] runs: every snippet marked
/// `<!-- snippet: name -->` equals the `tag::name[]` region of the test, and every region is shown.
class GuideSnippetsTest {
    private static final Path GUIDE = Path.of("..", "docs", "guide.md");
    private static final Path EXAMPLES =
            Path.of("src", "test", "java", "dev", "trellis", "kv", "GuideExamplesTest.java");

    @Test
    void everySnippetOfTheGuideIsCodeThatRunsAsATest() throws IOException {
        Map<String, String> regions = regions(Files.readString(EXAMPLES));
        Map<String, String> snippets = snippets(Files.readString(GUIDE));
        assertThat(snippets.keySet()).containsExactlyInAnyOrderElementsOf(regions.keySet());
        snippets.forEach((name, code) -> assertThat(code).as("snippet %s", name).isEqualTo(regions.get(name)));
    }

    private static Map<String, String> regions(String source) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("// tag::([\\w-]+)\\[]\\n(.*?)\\n\\s*// end::\\1\\[]", Pattern.DOTALL)
                .matcher(source);
        while (m.find()) {
            out.put(m.group(1), dedent(m.group(2)));
        }
        return out;
    }

    private static Map<String, String> snippets(String guide) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("<!-- snippet: ([\\w-]+) -->\\n```java\\n(.*?)\\n```", Pattern.DOTALL)
                .matcher(guide);
        while (m.find()) {
            out.put(m.group(1), dedent(m.group(2)));
        }
        return out;
    }

    private static String dedent(String block) {
        return block.lines().map(String::strip).reduce((a, b) -> a + "\n" + b).orElse("");
    }
}
