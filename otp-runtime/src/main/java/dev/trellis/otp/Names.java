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
     */
    private static final ConcurrentHashMap<String, Proc> TABLE = new ConcurrentHashMap<>();

    private Names() {}

    static boolean claim(String name, Proc p) {
        return TABLE.putIfAbsent(name, p) == null;
    }

    static void remove(String name, Proc p) {
        TABLE.remove(name, p);
    }

    static @Nullable Proc whereis(String name) {
        return TABLE.get(name);
    }

    static Set<String> all() {
        return new TreeSet<>(TABLE.keySet());
    }

    static int count() {
        return TABLE.size();
    }
}
