/// Read-only snapshots of the runtime for tools (the Observer, metrics, the testkit's leak
/// check). Taking a snapshot never sends a message to a process and never waits for one.
@NullMarked
package dev.trellis.otp.observe;

import org.jspecify.annotations.NullMarked;
