/// The `./kv` command line.
@NullMarked
package dev.trellis.app;

import org.jspecify.annotations.NullMarked;
