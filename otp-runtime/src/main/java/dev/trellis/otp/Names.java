package dev.trellis.otp;

import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/// The table of locally registered names (Erlang's `register/2`, `whereis/1`).
final class Names {
    /*
     * A name maps to at most one live process and a process has at most one name: Proc.register
     * claims the name here while holding the process's lock, and the exit path frees it before
     * the process's monitors fire.
     *
     * The exit path marks the process dead (under its lock) a moment before it removes the entry.
     * In that moment the entry is already free: whereis does not report it and claim may replace
     * it, so a name and the liveness of its process agree for every reader (ERTS unregisters
     * under the lock that marks the process exiting; this gets the same effect without holding a
     * process lock while touching the table). The late remove(name, p) leaves a replacement alone.
     */
    private static final ConcurrentHashMap<String, Proc> TABLE = new ConcurrentHashMap<>();

    private Names() {}

    static boolean claim(String name, Proc p) {
        for (; ; ) {
            Proc held = TABLE.putIfAbsent(name, p);
            if (held == null) {
                return true;
            }
            if (held.isAlive()) {
                return false;
            }
            if (TABLE.replace(name, held, p)) {
                return true;
            }
        }
    }

    static void remove(String name, Proc p) {
        TABLE.remove(name, p);
    }

    static @Nullable Proc whereis(String name) {
        Proc p = TABLE.get(name);
        return p == null || !p.isAlive() ? null : p;
    }

    static Set<String> all() {
        Set<String> names = new TreeSet<>();
        TABLE.forEach((name, p) -> {
            if (p.isAlive()) {
                names.add(name);
            }
        });
        return names;
    }

    static int count() {
        return TABLE.size();
    }
}
