/// The Trellis OTP runtime: processes with mailboxes, selective receive, links, monitors, exit
/// signals, names and timers, with Erlang's semantics, on virtual threads.
@NullMarked
package dev.trellis.otp;

import org.jspecify.annotations.NullMarked;
