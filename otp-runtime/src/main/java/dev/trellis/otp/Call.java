package dev.trellis.otp;

/// A request that expects a reply of type `R`: the messages of a server's protocol that clients
/// send with [GenServer#call(Pid, Call)] implement it, so the call's result type is inferred.
///
/// ```java
/// sealed interface Msg permits Get, Put {}
/// record Get(String key) implements Msg, Call<Optional<String>> {}
/// record Put(String key, String value) implements Msg {} // a cast
///
/// Optional<String> v = GenServer.call(server, new Get("k"));
/// ```
public interface Call<R> {}
