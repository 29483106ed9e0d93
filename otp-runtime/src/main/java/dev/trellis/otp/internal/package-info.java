/// The runtime's internals shared between its packages; nothing outside `dev.trellis.otp` uses
/// it (an ArchUnit rule checks).
@NullMarked
package dev.trellis.otp.internal;

import org.jspecify.annotations.NullMarked;
