package dev.trellis.otp.testkit;

import java.util.ArrayList;
import java.util.List;

/// Simpler variants of values, for [StateMachine#shrink(Object)].
///
/// ## Examples
///
/// ```java
/// Shrink.toward(87, 0); // [0, 44, 66, 77, 82, 85, 86]: a binary search toward 0
/// Shrink.shorter("abcd"); // ["", "ab", "abc"]
/// ```
public final class Shrink {
    private Shrink() {}

    /// Values between `target` and `value`, `target` first, then halving the distance each time:
    /// a failing value shrinks to the failing value closest to `target` in O(log distance) steps.
    public static List<Integer> toward(int value, int target) {
        List<Integer> out = new ArrayList<>();
        long distance = (long) value - target;
        for (long d = distance; d != 0; d /= 2) {
            out.add((int) (value - d));
        }
        return out;
    }

    /// Prefixes of `s`, shortest (empty) first, halving the cut each time.
    public static List<String> shorter(String s) {
        List<String> out = new ArrayList<>();
        for (Integer n : toward(s.length(), 0)) {
            out.add(s.substring(0, n));
        }
        return out;
    }
}
