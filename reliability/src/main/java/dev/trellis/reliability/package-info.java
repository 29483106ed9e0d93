/// Evidence that the KV server keeps its promises under abuse: [Soak] runs a server in-process
/// under well-formed clients checked against a model, abusive clients and bucket kills
/// (`./kv soak`); [FuzzSession] runs Jazzer on the protocol parser and the connection loop
/// ([FuzzTargets], `./kv fuzz`).
@NullMarked
package dev.trellis.reliability;

import org.jspecify.annotations.NullMarked;
