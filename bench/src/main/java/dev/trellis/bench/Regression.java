package dev.trellis.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/// The regression guard of `./kv bench micro --compare FILE`: compares measured figures with the
/// last ones recorded in `docs/benchmarks.md` and flags changes beyond noise.
///
/// The recorded figures are the JSON lines of `./kv bench micro --json` inside the block that
/// follows the line `<!-- recorded figures -->` in the Markdown file:
///
/// ````markdown
/// <!-- recorded figures -->
/// ```json
/// {"name":"ping_pong","value":1221.3,"unit":"ns"}
/// ```
/// ````
///
/// Lower is better for times and bytes, higher for rates (`msgs/s`, `ops/s`). A change is a
/// regression when it is worse by more than `threshold` percent (the machines are noisy: 25 is
/// a sensible threshold for single runs).
public final class Regression {
    /// The line that precedes the recorded figures.
    public static final String MARKER = "<!-- recorded figures -->";

    private static final Pattern LINE =
            Pattern.compile("\\{\"name\":\"([a-z0-9_]+)\",\"value\":([0-9.]+),\"unit\":\"([a-z/]+)\"}");

    private Regression() {}

    /// How one metric moved.
    ///
    /// @param name the metric
    /// @param recorded the recorded value, if the metric was recorded
    /// @param measured the measured figure
    /// @param changePercent how much worse (positive) or better (negative), in percent
    /// @param regressed worse by more than the threshold
    public record Change(
            String name, Optional<Double> recorded, Metric measured, double changePercent, boolean regressed) {
        /// A line for people.
        public String human() {
            if (recorded.isEmpty()) {
                return String.format(
                        Locale.ROOT, "%-20s %,14.1f %-7s (not recorded)", name, measured.value(), measured.unit());
            }
            String verdict = changePercent < 0 ? "better" : regressed ? "worse  REGRESSION" : "worse  within noise";
            return String.format(
                    Locale.ROOT,
                    "%-20s %,14.1f %-7s recorded %,14.1f  %5.1f%% %s",
                    name,
                    measured.value(),
                    measured.unit(),
                    recorded.get(),
                    Math.abs(changePercent),
                    verdict);
        }
    }

    /// The recorded figures in `markdown`, by name; empty if it has no recorded block.
    public static Map<String, Metric> recorded(String markdown) {
        Map<String, Metric> figures = new LinkedHashMap<>();
        int at = markdown.indexOf(MARKER);
        if (at < 0) {
            return figures;
        }
        int open = markdown.indexOf("```", at);
        int close = open < 0 ? -1 : markdown.indexOf("```", open + 3);
        if (close < 0) {
            return figures;
        }
        Matcher m = LINE.matcher(markdown.substring(open, close));
        while (m.find()) {
            figures.put(m.group(1), new Metric(m.group(1), Double.parseDouble(m.group(2)), m.group(3), ""));
        }
        return figures;
    }

    /// Compares each measured figure with its recorded one.
    public static List<Change> compare(Map<String, Metric> recorded, List<Metric> measured, double threshold) {
        List<Change> changes = new ArrayList<>();
        for (Metric m : measured) {
            Metric r = recorded.get(m.name());
            if (r == null || r.value() == 0) {
                changes.add(new Change(m.name(), Optional.empty(), m, 0, false));
                continue;
            }
            double ratio = higherIsBetter(m.unit()) ? r.value() / m.value() : m.value() / r.value();
            double worse = (ratio - 1) * 100;
            changes.add(new Change(m.name(), Optional.of(r.value()), m, worse, worse > threshold));
        }
        return changes;
    }

    private static boolean higherIsBetter(String unit) {
        return unit.endsWith("/s");
    }
}
