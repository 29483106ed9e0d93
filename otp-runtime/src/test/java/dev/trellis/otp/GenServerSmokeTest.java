package dev.trellis.otp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GenServerSmokeTest {
    static final class Counter implements GenServer<Counter.Msg, Integer> {
        sealed interface Msg {}

        record Increment() implements Msg {}

        record Get() implements Msg, Call<Integer> {}

        record Slow() implements Msg, Call<String> {}

        @Override
        public Init<Integer> init() {
            return Init.ok(0);
        }

        @Override
        public Next<Integer> handle(Msg msg, Integer n) {
            return switch (msg) {
                case Increment i -> Next.noreply(n + 1);
                case Get g -> Next.reply(g, n, n);
                case Slow s -> {
                    From<String> from = GenServer.replyLater(s);
                    Kernel.sendAfter(Kernel.self(), from, Duration.ofMillis(50));
                    yield Next.noreply(n);
                }
            };
        }

        @Override
        @SuppressWarnings("unchecked")
        public Next<Integer> handleInfo(Object message, Integer n) {
            if (message instanceof From<?> f) {
                ((From<String>) f).reply("late");
            }
            return Next.noreply(n);
        }
    }

    @Test
    void callsCastsAndDeferredReplies() {
        InProcess.run(() -> {
            Pid c = GenServer.start(new Counter()).orThrow();
            GenServer.cast(c, new Counter.Increment());
            GenServer.cast(c, new Counter.Increment());
            int n = GenServer.call(c, new Counter.Get());
            assertThat(n).isEqualTo(2);
            assertThat(Sys.getState(c)).isEqualTo(2);
            assertThatThrownBy(() -> GenServer.call(c, new Counter.Slow(), Duration.ofMillis(1)))
                    .isInstanceOf(ExitException.class)
                    .satisfies(e -> assertThat(((ExitException) e).reason()).isEqualTo(GenServer.TIMEOUT));
            assertThat(GenServer.call(c, new Counter.Slow())).isEqualTo("late");
            GenServer.stop(c);
            assertThat(Kernel.isAlive(c)).isFalse();
            assertThat(Kernel.receive(Duration.ofMillis(100))).isEmpty();
        });
    }

    @Test
    void callFromAPlainThreadWorks() {
        Pid c = GenServer.start(new Counter()).orThrow();
        int n = GenServer.call(c, new Counter.Get());
        assertThat(n).isZero();
        GenServer.stop(c);
    }
}
