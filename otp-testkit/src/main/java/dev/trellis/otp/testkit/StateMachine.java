package dev.trellis.otp.testkit;

import java.util.List;
import java.util.SplittableRandom;

/// A model-based test for [ModelCheck]: how to generate commands, what a model of the system
/// predicts for each, and how to run them against the real system.
///
/// `M` is the model (mutable: [#expect(Object, Object)] advances it), `S` the real system under
/// test (a running tree, a socket, …), `C` the command type (records, so that a failing sequence
/// prints readably).
///
/// ## Examples
///
/// ```java
/// record Put(int key, int value) {}
/// record Get(int key) {}
///
/// final class MapMachine implements StateMachine<Map<Integer, Integer>, Pid, Object> {
///     public Map<Integer, Integer> model(SplittableRandom random) { return new HashMap<>(); }
///     public Pid start(Map<Integer, Integer> model) { return Agent.startLink(HashMap::new).orThrow(); }
///     public Object command(Map<Integer, Integer> model, SplittableRandom random) {
///         return random.nextBoolean() ? new Put(random.nextInt(10), random.nextInt(100)) : new
/// Get(random.nextInt(10));
///     }
///     public Object expect(Map<Integer, Integer> model, Object command) {
///         return switch (command) {
///             case Put p -> { model.put(p.key(), p.value()); yield "ok"; }
///             case Get g -> Optional.ofNullable(model.get(g.key()));
///             default -> throw new IllegalArgumentException();
///         };
///     }
///     public Object run(Pid agent, Object command) { ... } // the same through the agent
/// }
/// ModelCheck.of(new MapMachine()).check();
/// ```
///
/// ## Contract
///
/// - Every callback runs in the thread that called [ModelCheck#check()], in order: `model`,
///   `start`, then for each command `expect` before `run`, and `stop` last, even on a failure.
/// - Each run (the first one and each replay while shrinking) gets a fresh model and a fresh
///   system, so the commands of one run cannot see another's state. `model` gets the same random
///   stream on every run of a seed, so a configuration drawn from it is the same on each replay.
/// - Outcomes are compared with `equals`: return values that describe what was observed (a
///   record `Found(bucketNumber)`, not a pid that differs from run to run).
public interface StateMachine<M, S, C> {

    /// A fresh model; `random` may choose a configuration (the same on every replay of a seed).
    M model(SplittableRandom random);

    /// Starts a fresh real system matching `model`.
    S start(M model) throws Exception;

    /// A command to run next, chosen with `random` for the state `model` is in.
    C command(M model, SplittableRandom random);

    /// Whether `command` may run in the state `model` is in. Shrinking drops commands, so a later
    /// command may meet a state it was not generated for; a sequence with a command that fails
    /// its precondition is not tried. Default: always.
    default boolean precondition(M model, C command) {
        return true;
    }

    /// The outcome the model predicts for `command`; advances `model` past it.
    Object expect(M model, C command);

    /// Runs `command` against `system` and returns what was observed. An exception is a failure.
    Object run(S system, C command) throws Exception;

    /// Stops `system`; called after every run, failing or not.
    default void stop(S system) throws Exception {}

    /// Simpler variants of `command`, simplest first (smaller numbers, shorter strings), tried
    /// while shrinking a failing sequence once no command can be dropped. Default: none.
    default List<C> shrink(C command) {
        return List.of();
    }
}
