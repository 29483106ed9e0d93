/// JUnit 5 support for testing code built on the Trellis runtime, in the manner of ExUnit:
/// each test runs inside a process ([OtpTest]), messages are asserted with
/// [OtpAssertions#assertReceive(dev.trellis.otp.Match)], time is a [dev.trellis.otp.ManualClock],
/// and a test that leaves processes, names or timers behind fails. [ModelCheck] runs seeded
/// model-based tests of a [StateMachine] and shrinks a failing command sequence.
@NullMarked
package dev.trellis.otp.testkit;

import org.jspecify.annotations.NullMarked;
