package dev.trellis.observer;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/// A strict parser of the Prometheus text exposition format 0.0.4, for tests: every line is a
/// `# HELP`, a `# TYPE` or a sample; every sample belongs to a family whose TYPE came first;
/// names and labels are well formed, values are numbers, no series appears twice.
final class PrometheusText {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.*)");
    private static final Pattern TYPE =
            Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(.*)})? (\\S+)");
    private static final Pattern LABEL =
            Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"(,|$)");

    /// One sample.
    record Sample(String name, Map<String, String> labels, double value) {}

    final Map<String, String> types = new LinkedHashMap<>();
    final Map<String, Sample> samples = new LinkedHashMap<>(); // by name{labels}

    static PrometheusText parse(String text) {
        if (!text.endsWith("\n")) {
            throw new AssertionError("the exposition must end with a newline");
        }
        PrometheusText p = new PrometheusText();
        Set<String> helped = new HashSet<>();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty()) {
                continue;
            }
            Matcher m;
            if ((m = HELP.matcher(line)).matches()) {
                if (!helped.add(m.group(1))) {
                    throw new AssertionError("line " + n + ": second HELP for " + m.group(1));
                }
            } else if ((m = TYPE.matcher(line)).matches()) {
                if (p.types.put(m.group(1), m.group(2)) != null) {
                    throw new AssertionError("line " + n + ": second TYPE for " + m.group(1));
                }
            } else if (line.startsWith("#")) {
                throw new AssertionError("line " + n + ": malformed comment: " + line);
            } else if ((m = SAMPLE.matcher(line)).matches()) {
                String name = m.group(1);
                String type = p.types.get(name);
                if (type == null) {
                    throw new AssertionError("line " + n + ": sample before its TYPE: " + line);
                }
                if (type.equals("counter") && !name.endsWith("_total")) {
                    throw new AssertionError("line " + n + ": a counter's name must end in _total: " + name);
                }
                Map<String, String> labels = labels(m.group(3) == null ? "" : m.group(3), n);
                double value;
                try {
                    value = Double.parseDouble(m.group(4));
                } catch (NumberFormatException e) {
                    throw new AssertionError("line " + n + ": not a number: " + m.group(4));
                }
                String key = name + new TreeMap<>(labels);
                if (p.samples.put(key, new Sample(name, labels, value)) != null) {
                    throw new AssertionError("line " + n + ": duplicate series " + key);
                }
            } else {
                throw new AssertionError("line " + n + ": not a sample: " + line);
            }
        }
        return p;
    }

    private static Map<String, String> labels(String text, int line) {
        Map<String, String> labels = new HashMap<>();
        Matcher m = LABEL.matcher(text);
        int at = 0;
        while (at < text.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new AssertionError("line " + line + ": malformed labels: {" + text + "}");
            }
            labels.put(
                    m.group(1),
                    m.group(2).replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\"));
            at = m.end();
        }
        return labels;
    }

    /// The value of the series `name` with `labels` (as `k=v` pairs), or fails.
    double value(String name, String... labels) {
        Map<String, String> want = new TreeMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            want.put(labels[i], labels[i + 1]);
        }
        Sample s = samples.get(name + want);
        if (s == null) {
            throw new AssertionError("no series " + name + want + " in " + samples.keySet());
        }
        return s.value();
    }
}
