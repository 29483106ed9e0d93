package dev.trellis.otp.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/// Runs each test of the annotated class (or the annotated test) inside a root process, with
/// [OtpExtension]: `Kernel.self()` works in the test, processes it links to go down with it, and
/// the test fails if it leaks processes, registered names or timers.
///
/// ## Examples
///
/// ```java
/// @OtpTest
/// class EchoTest {
///     @Test
///     void echoes() {
///         Pid echo = Kernel.spawnLink(() -> {
///             Pid from = (Pid) Kernel.receive();
///             Kernel.send(from, "hi");
///         });
///         Kernel.send(echo, Kernel.self());
///         assertReceive(Match.equalTo("hi"));
///     }
///
///     @Test
///     void timesOut(ManualClock clock) { // the root process and its children run on this clock
///         ...
///         clock.advance(Duration.ofSeconds(5));
///     }
/// }
/// ```
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(OtpExtension.class)
public @interface OtpTest {}
