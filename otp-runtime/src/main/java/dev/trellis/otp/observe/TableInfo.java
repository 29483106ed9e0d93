package dev.trellis.otp.observe;

import dev.trellis.otp.Pid;

/// A snapshot of one table (Erlang's `ets:info/1`), for tools.
///
/// @param name the table's name
/// @param owner the owning process
/// @param size the number of entries
/// @param access `public`, `protected` or `private`
public record TableInfo(String name, Pid owner, int size, String access) {}
