package dev.trellis.otp;

import static dev.trellis.otp.InProcess.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/// Elixir's task/supervisor_test: start_child, async/await, async_nolink, max_children,
/// terminate_child, and crash isolation.
@ExtendWith(SupervisionLeakCheck.class)
class TaskSupervisorTest {

    static final Duration WAIT = Duration.ofSeconds(5);

    /// A message a task sends to say it started.
    record Started(Pid pid) {}

    /// A body that reports [Started] to `test` and runs until it receives "go".
    static ProcessBody waitsForGo(Pid test) {
        return () -> {
            Kernel.send(test, new Started(Kernel.self()));
            Kernel.receive(Match.equalTo("go"));
        };
    }

    static void awaitChildren(Pid sup, int n) {
        Awaitility.await().atMost(WAIT).until(() -> TaskSupervisor.children(sup).size() == n);
    }

    @Test
    void theJavadocExampleWorks() {
        InProcess.run(() -> {
            Pid test = Kernel.self();
            Pid tasks = TaskSupervisor.start(StartOptions.defaults().name("task_supervisor_test_example"))
                    .orThrow();
            TaskSupervisor.startChild(tasks, () -> Kernel.send(test, "served")).orThrow();
            expect(Match.equalTo("served"));
            Task<Integer> task = TaskSupervisor.async(tasks, () -> 6 * 7);
            int answer = Task.await(task);
            assertThat(answer).isEqualTo(42);
            Task<Integer> risky = TaskSupervisor.asyncNolink(tasks, () -> {
                throw new IllegalStateException("oops");
            });
            Optional<TaskResult<Integer>> result = Task.yield(risky, Duration.ofSeconds(1));
            assertThat(result).hasValueSatisfying(r -> assertThat(r).isInstanceOf(TaskResult.Exited.class));
            awaitChildren(tasks, 0);
            assertThat(Kernel.processInfo(tasks).orElseThrow().label()).isEqualTo(TaskSupervisor.class.getName());
            TaskSupervisor.stop(tasks);
        });
    }

    @Test
    void startChildRunsATemporaryTaskLinkedToTheSupervisorAndForgetsItWhenItEnds() {
        InProcess.run(() -> {
            Pid test = Kernel.self();
            Pid sup = TaskSupervisor.startLink().orThrow();
            DynamicSupervisor.StartChildResult result = TaskSupervisor.startChild(sup, waitsForGo(test));
            Pid task = expect(Match.type(Started.class)).pid();
            assertThat(result).isEqualTo(new DynamicSupervisor.Started(task));
            assertThat(TaskSupervisor.children(sup)).containsExactly(task);
            assertThat(Kernel.processInfo(task).orElseThrow().links()).containsExactly(sup);
            assertThat(DynamicSupervisor.whichChildren(sup).getFirst().restart())
                    .isEqualTo(ChildSpec.Restart.TEMPORARY);
            Ref ref = Kernel.monitor(task);
            Kernel.send(task, "go");
            assertThat(expect(Signals.downOf(ref)).reason()).isEqualTo(ExitReason.NORMAL);
            awaitChildren(sup, 0);
            TaskSupervisor.stop(sup);
        });
    }

    @Test
    void asyncRunsTheTaskUnderTheSupervisorLinkedToTheCallerAndAwaitReturnsItsValue() {
        InProcess.run(() -> {
            Pid test = Kernel.self();
            Pid sup = TaskSupervisor.startLink(StartOptions.defaults().name("task_supervisor_test_async"))
                    .orThrow();
            Task<String> task = TaskSupervisor.async(Name.local("task_supervisor_test_async"), () -> {
                Kernel.send(test, new Started(Kernel.self()));
                Kernel.receive(Match.equalTo("go"));
                return "done";
            });
            assertThat(expect(Match.type(Started.class)).pid()).isEqualTo(task.pid());
            assertThat(TaskSupervisor.children(sup)).containsExactly(task.pid());
            assertThat(Kernel.processInfo(task.pid()).orElseThrow().links()).containsExactlyInAnyOrder(sup, test);
            Kernel.send(task.pid(), "go");
            assertThat(Task.await(task)).isEqualTo("done");
            awaitChildren(sup, 0);
            TaskSupervisor.stop(sup);
        });
    }

    @Test
    void aCrashingAsyncTaskMakesAwaitThrowItsCrashInATrappingCaller() {
        InProcess.run(() -> {
            Kernel.trapExit(true);
            Pid sup = TaskSupervisor.startLink().orThrow();
            IllegalStateException boom = new IllegalStateException("oops");
            Task<Integer> task = TaskSupervisor.async(sup, () -> {
                throw boom;
            });
            assertThatThrownBy(() -> Task.await(task)).isInstanceOfSatisfying(ExitException.class, e -> {
                assertThat(e.reason()).isEqualTo(ExitReason.crash(boom));
                assertThat(e.getCause()).isSameAs(boom);
            });
            assertThat(expect(Signals.exitFrom(task.pid())).reason()).isEqualTo(ExitReason.crash(boom));
            assertThat(Kernel.isAlive(sup)).isTrue();
            TaskSupervisor.stop(sup);
            Kernel.trapExit(false);
        });
    }

    @Test
    void aCrashingNolinkTaskLeavesTheCallerAndTheSupervisorAlive() {
        InProcess.run(() -> {
            Pid sup = TaskSupervisor.startLink().orThrow();
            IllegalArgumentException boom = new IllegalArgumentException("oops");
            Task<Integer> awaited = TaskSupervisor.asyncNolink(sup, () -> {
                throw boom;
            });
            assertThat(Kernel.processInfo(Kernel.self()).orElseThrow().links()).doesNotContain(awaited.pid());
            assertThatThrownBy(() -> Task.await(awaited))
                    .isInstanceOfSatisfying(
                            ExitException.class, e -> assertThat(e.getCause()).isSameAs(boom));
            Task<Integer> yielded = TaskSupervisor.asyncNolink(sup, () -> {
                throw boom;
            });
            assertThat(Task.yield(yielded, WAIT)).contains(new TaskResult.Exited<>(ExitReason.crash(boom)));
            assertThat(Kernel.receive(Match.any(), Duration.ZERO)).isEmpty();
            assertThat(Kernel.isAlive(sup)).isTrue();
            TaskSupervisor.stop(sup);
        });
    }

    @Test
    void crashedTasksAreNotRestartedAndAffectNeitherTheSupervisorNorOtherTasks() {
        InProcess.run(() -> {
            Pid test = Kernel.self();
            Pid sup = TaskSupervisor.startLink().orThrow();
            TaskSupervisor.startChild(sup, waitsForGo(test)).orThrow();
            Pid survivor = expect(Match.type(Started.class)).pid();
            // More crashes than the restart intensity (3 in 5 s) allows restarts.
            for (int i = 0; i < 5; i++) {
                Pid crasher = TaskSupervisor.startChild(sup, () -> {
                            Kernel.receive(Match.equalTo("crash"));
                            throw new IllegalStateException("crash");
                        })
                        .orThrow();
                Ref ref = Kernel.monitor(crasher);
                Kernel.send(crasher, "crash");
                assertThat(expect(Signals.downOf(ref)).reason()).isInstanceOf(ExitReason.Crash.class);
            }
            awaitChildren(sup, 1);
            assertThat(TaskSupervisor.children(sup)).containsExactly(survivor);
            assertThat(Kernel.isAlive(sup)).isTrue();
            assertThat(Kernel.isAlive(survivor)).isTrue();
            assertThat(DynamicSupervisor.whichChildren(sup).getFirst().restarts())
                    .isZero();
            Ref ref = Kernel.monitor(survivor);
            Kernel.send(survivor, "go");
            assertThat(expect(Signals.downOf(ref)).reason()).isEqualTo(ExitReason.NORMAL);
            TaskSupervisor.stop(sup);
        });
    }

    @Test
    void maxChildrenIsEnforcedForStartChildAndAsync() {
        InProcess.run(() -> {
            Pid test = Kernel.self();
            Pid sup = TaskSupervisor.startLink(
                            DynamicSupervisorFlags.defaults().maxChildren(1), StartOptions.defaults())
                    .orThrow();
            Pid first = TaskSupervisor.startChild(sup, waitsForGo(test)).orThrow();
            expect(Match.type(Started.class));
            assertThat(TaskSupervisor.startChild(sup, waitsForGo(test))).isEqualTo(new DynamicSupervisor.MaxChildren());
            assertThatThrownBy(() -> TaskSupervisor.async(sup, () -> 1))
                    .isInstanceOfSatisfying(
                            ExitException.class,
                            e -> assertThat(e.reason()).isEqualTo(ExitReason.other("max_children")));
            assertThatThrownBy(() -> TaskSupervisor.asyncNolink(sup, () -> 1)).isInstanceOf(ExitException.class);
            assertThat(TaskSupervisor.terminateChild(sup, first)).isEqualTo(new DynamicSupervisor.Terminated());
            assertThat(Task.await(TaskSupervisor.async(sup, () -> 2))).isEqualTo(2);
            // The task exits right after its reply; stopped before that, it would be sent
            // `shutdown`, which its link would carry to this caller.
            awaitChildren(sup, 0);
            TaskSupervisor.stop(sup);
        });
    }

    @Test
    void terminateChildStopsATaskAndAnUnknownPidIsNotFound() {
        InProcess.run(() -> {
            Pid test = Kernel.self();
            Pid sup = TaskSupervisor.startLink().orThrow();
            Pid task = TaskSupervisor.startChild(sup, waitsForGo(test)).orThrow();
            expect(Match.type(Started.class));
            Ref ref = Kernel.monitor(task);
            assertThat(TaskSupervisor.terminateChild(sup, task)).isEqualTo(new DynamicSupervisor.Terminated());
            assertThat(expect(Signals.downOf(ref)).reason()).isEqualTo(ExitReason.SHUTDOWN);
            assertThat(TaskSupervisor.terminateChild(sup, task)).isEqualTo(new DynamicSupervisor.NotFound());
            assertThat(TaskSupervisor.children(sup)).isEmpty();
            TaskSupervisor.stop(sup);
        });
    }

    @Test
    void stoppingTheSupervisorStopsItsTasks() {
        InProcess.run(() -> {
            Pid test = Kernel.self();
            Pid sup = TaskSupervisor.start().orThrow();
            List<Ref> refs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                TaskSupervisor.startChild(sup, waitsForGo(test)).orThrow();
                refs.add(Kernel.monitor(expect(Match.type(Started.class)).pid()));
            }
            Task<String> task = TaskSupervisor.asyncNolink(sup, () -> {
                Kernel.receive(Match.none());
                return "never";
            });
            TaskSupervisor.stop(sup);
            for (Ref ref : refs) {
                assertThat(expect(Signals.downOf(ref)).reason()).isEqualTo(ExitReason.SHUTDOWN);
            }
            assertThat(Task.yield(task, WAIT)).contains(new TaskResult.Exited<>(ExitReason.SHUTDOWN));
        });
    }

    @Test
    void aTaskWhoseOwnerDiedBeforeReleasingItExitsWithoutRunning() {
        InProcess.run(() -> {
            Pid sup = TaskSupervisor.startLink().orThrow();
            AtomicBoolean ran = new AtomicBoolean();
            Sys.suspend(sup);
            Pid owner = Kernel.spawn(() -> TaskSupervisor.asyncNolink(sup, () -> ran.getAndSet(true)));
            Supervision.awaitQueued(sup, 1); // the owner waits inside startChild
            Ref ref = Kernel.monitor(owner);
            Kernel.exit(owner, ExitReason.KILL);
            expect(Signals.downOf(ref));
            Sys.resume(sup); // starts the task, which finds its owner gone
            Awaitility.await()
                    .atMost(WAIT)
                    .until(() -> DynamicSupervisor.countChildren(sup).specs() == 0);
            assertThat(ran.get()).isFalse();
            TaskSupervisor.stop(sup);
        });
    }

    @Test
    void extraArgumentsAreRejectedAndTheChildSpecIsASupervisor() {
        InProcess.run(() -> {
            DynamicSupervisorFlags extra = DynamicSupervisorFlags.defaults().extraArguments(List.of("x"));
            assertThatThrownBy(() -> TaskSupervisor.start(extra, StartOptions.defaults()))
                    .isInstanceOf(IllegalArgumentException.class);
            ChildSpec spec =
                    TaskSupervisor.childSpec("tasks", DynamicSupervisorFlags.defaults(), StartOptions.defaults());
            assertThat(spec.type()).isEqualTo(ChildSpec.Type.SUPERVISOR);
            Pid top = Supervisor.startLink(List.of(spec), SupervisorFlags.oneForOne())
                    .orThrow();
            Pid tasks = Supervision.pidOf(top, "tasks").orElseThrow();
            assertThat(Task.await(TaskSupervisor.async(tasks, () -> "ok"))).isEqualTo("ok");
            awaitChildren(tasks, 0); // as above: the linked task must have exited first
            Supervisor.stop(top);
        });
    }
}
