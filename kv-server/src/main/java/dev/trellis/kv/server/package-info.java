/// The KV store over TCP, speaking the text protocol of the guide (DESIGN §5): [Command] parses
/// one request line.
@NullMarked
package dev.trellis.kv.server;

import org.jspecify.annotations.NullMarked;
