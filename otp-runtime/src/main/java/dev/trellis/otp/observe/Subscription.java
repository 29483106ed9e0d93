package dev.trellis.otp.observe;

/// A listener's place on the event feed ([ObserverBackend#subscribe]); closing it removes the
/// listener. Closing twice does nothing.
public interface Subscription extends AutoCloseable {
    @Override
    void close();
}
