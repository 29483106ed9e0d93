package dev.trellis.bench;

import java.util.Locale;

/// One measured figure of DESIGN §7: a name, a value and a unit, printed as one JSON object per
/// line (`{"name","value","unit"}`) so runs can be compared with each other and with the baselines.
///
/// @param name the DESIGN §7 metric name, e.g. `ping_pong`
/// @param value the figure
/// @param unit `ns`, `us`, `ms`, `s`, `bytes` or `msgs/s`
/// @param target the DESIGN §7 target, for the human-readable line
public record Metric(String name, double value, String unit, String target) {

    /// `{"name":"…","value":…,"unit":"…"}`; values under 10 with three decimals (`app_stop_100k`
    /// in seconds), the others with one.
    public String json() {
        return String.format(
                Locale.ROOT,
                "{\"name\":\"%s\",\"value\":" + (Math.abs(value) < 10 ? "%.3f" : "%.1f") + ",\"unit\":\"%s\"}",
                name,
                value,
                unit);
    }

    /// An aligned line for people: name, value, unit and target.
    public String human() {
        return String.format(Locale.ROOT, "%-20s %,16.1f %-7s (target %s)", name, value, unit, target);
    }
}
