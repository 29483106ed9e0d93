package dev.trellis.otp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trellis.otp.observe.TableInfo;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/// ETS-like tables: access modes, reads from anywhere, deletion with the owner.
class TableTest {

    @Test
    void theOwnerWritesAndAnyoneReadsAProtectedTable() {
        InProcess.run(() -> {
            Table<String, Integer> t = Table.create("table_test_protected", Table.Access.PROTECTED);
            t.insert("a", 1);
            assertThat(t.insertNew("a", 2)).isFalse();
            assertThat(t.insertNew("b", 2)).isTrue();
            AtomicReference<Optional<Integer>> fromThread = new AtomicReference<>();
            Thread reader = Thread.ofPlatform().start(() -> fromThread.set(t.lookup("a")));
            reader.join();
            assertThat(fromThread.get()).contains(1);
            Pid test = Kernel.self();
            Kernel.spawnLink(() -> {
                try {
                    t.insert("c", 3);
                    Kernel.send(test, "wrote");
                } catch (IllegalStateException e) {
                    Kernel.send(test, String.valueOf(e.getMessage()));
                }
            });
            assertThat(InProcess.expect(Match.type(String.class))).contains("only the owner");
            assertThat(t.size()).isEqualTo(2);
            assertThat(t.delete("a", 99)).isFalse();
            assertThat(t.delete("a", 1)).isTrue();
            assertThat(t.delete("a")).isFalse();
            assertThat(t.entries()).extracting(e -> e.getKey()).containsExactly("b");
        });
    }

    @Test
    void aPrivateTableRefusesOtherReadersAndAPublicOneAcceptsWriters() {
        InProcess.run(() -> {
            Table<String, Integer> secret = Table.create("table_test_private", Table.Access.PRIVATE);
            Table<String, Integer> shared = Table.create("table_test_public", Table.Access.PUBLIC);
            secret.insert("k", 1);
            Pid test = Kernel.self();
            Kernel.spawnLink(() -> {
                shared.insert("from child", 2);
                try {
                    secret.lookup("k");
                    Kernel.send(test, "read it");
                } catch (IllegalStateException e) {
                    Kernel.send(test, "refused");
                }
            });
            assertThat(InProcess.expect(Match.type(String.class))).isEqualTo("refused");
            assertThat(shared.lookup("from child")).contains(2);
        });
    }

    @Test
    void aTableIsDeletedWithItsOwnerBeforeTheOwnersDownArrives() {
        InProcess.run(() -> {
            Pid test = Kernel.self();
            Spawned owner = Kernel.spawnMonitor(() -> {
                Table<String, String> t = Table.create("table_test_owned", Table.Access.PUBLIC);
                t.insert("k", "v");
                Kernel.send(test, t);
                Kernel.receive(Match.equalTo("exit"));
            });
            @SuppressWarnings("unchecked")
            Table<String, String> t = InProcess.expect(Match.type(Table.class));
            assertThat(t.lookup("k")).contains("v");
            assertThat(Table.all()).extracting(TableInfo::name).contains("table_test_owned");
            Kernel.send(owner.pid(), "exit");
            InProcess.expect(Signals.downOf(owner.ref()));
            assertThat(t.exists()).isFalse();
            assertThatThrownBy(() -> t.lookup("k"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no longer exists");
            assertThat(Table.all()).extracting(TableInfo::name).doesNotContain("table_test_owned");
        });
    }

    @Test
    void readersSeeConsistentValuesWhileTheOwnerWrites() {
        InProcess.run(() -> {
            Table<Integer, Integer> t = Table.create("table_test_concurrent", Table.Access.PROTECTED);
            int n = 20_000;
            AtomicReference<String> problem = new AtomicReference<>();
            Thread[] readers = new Thread[4];
            for (int r = 0; r < readers.length; r++) {
                readers[r] = Thread.ofPlatform().start(() -> {
                    int seen = 0;
                    while (seen < n - 1) {
                        for (int k = seen; k < n; k++) {
                            Optional<Integer> v = t.lookup(k);
                            if (v.isEmpty()) {
                                break;
                            }
                            if (v.get() != k * 2) {
                                problem.set("key " + k + " had " + v.get());
                            }
                            seen = k;
                        }
                    }
                });
            }
            for (int k = 0; k < n; k++) {
                t.insert(k, k * 2);
            }
            for (Thread r : readers) {
                r.join();
            }
            assertThat(problem.get()).isNull();
            assertThat(t.size()).isEqualTo(n);
        });
    }

    @Test
    void creatingATableOutsideAProcessFails() {
        assertThatThrownBy(() -> Table.create("nowhere", Table.Access.PUBLIC))
                .isInstanceOf(IllegalStateException.class);
    }
}
