package dev.trellis.otp;

import java.util.Objects;

/// How a [Registry] stores its keys: the `keys:` and `partitions:` options of Elixir's
/// `Registry.start_link/1`.
///
/// ## Examples
///
/// ```java
/// RegistryOptions names = RegistryOptions.unique();                   // one process per key
/// RegistryOptions topics = RegistryOptions.duplicate().partitions(8); // many processes per key
/// RegistryOptions same = new RegistryOptions(Registry.Keys.DUPLICATE, 8);
/// ```
///
/// ## Options
///
/// | component | default | meaning |
/// |---|---|---|
/// | [#keys()] | (required) | [Registry.Keys#UNIQUE]: at most one live entry per key; [Registry.Keys#DUPLICATE]: any
/// number |
/// | [#partitions()] | [Runtime#availableProcessors()] | how many maps the keys are spread over, at least 1 |
///
/// @param keys whether a key has at most one entry or any number
/// @param partitions the number of partitions, at least 1
public record RegistryOptions(Registry.Keys keys, int partitions) {
    /*
     * Maintainer notes: mirrors the :keys and :partitions options of Elixir's Registry (default
     * partitions: System.schedulers_online(), here the available processors). :listeners and
     * :meta are not supported.
     */

    public RegistryOptions {
        Objects.requireNonNull(keys, "keys");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1: " + partitions);
        }
    }

    /// Unique keys, one partition per available processor.
    public static RegistryOptions unique() {
        return new RegistryOptions(Registry.Keys.UNIQUE, Runtime.getRuntime().availableProcessors());
    }

    /// Duplicate keys, one partition per available processor.
    public static RegistryOptions duplicate() {
        return new RegistryOptions(Registry.Keys.DUPLICATE, Runtime.getRuntime().availableProcessors());
    }

    /// These options with `newPartitions` partitions.
    ///
    /// @throws IllegalArgumentException if `newPartitions` is less than 1
    public RegistryOptions partitions(int newPartitions) {
        return new RegistryOptions(keys, newPartitions);
    }

    /// These options with `newKeys`.
    public RegistryOptions keys(Registry.Keys newKeys) {
        return new RegistryOptions(newKeys, partitions);
    }
}
