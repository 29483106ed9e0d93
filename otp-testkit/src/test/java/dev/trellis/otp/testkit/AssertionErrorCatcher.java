package dev.trellis.otp.testkit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/// Asserts that an assertion of the testkit fails with a message containing a text.
final class AssertionErrorCatcher {
    private AssertionErrorCatcher() {}

    static void assertFails(Runnable assertion, String messagePart) {
        assertThatThrownBy(assertion::run).isInstanceOf(AssertionError.class).hasMessageContaining(messagePart);
    }
}
