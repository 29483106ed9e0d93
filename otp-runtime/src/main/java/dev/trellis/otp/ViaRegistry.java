package dev.trellis.otp;

import java.util.Optional;

/// A registry that can name processes for [Name#via(ViaRegistry, Object)] (Erlang's
/// `register_name/2`, `whereis_name/1` callbacks). A name must be released when its process
/// exits.
public interface ViaRegistry {
    /// Registers the calling process `pid` under `key`; `false` if `key` is taken.
    boolean registerName(Object key, Pid pid);

    /// The process registered under `key`, if any.
    Optional<Pid> whereisName(Object key);
}
