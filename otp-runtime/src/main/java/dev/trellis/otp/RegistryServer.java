package dev.trellis.otp;

/// The process of a [Registry]: a [GenServer] that owns the registry's [RegistryTables] (they live
/// as long as it does) and traps the exit signals of the processes linked to it by registering.
final class RegistryServer implements GenServer<Object, RegistryTables> {
    /*
     * Maintainer notes: the registry answers no requests. Every operation reads or writes the
     * tables directly from the calling thread (Elixir's Registry also reads ETS directly; its
     * partition processes only clean up after owners that exit, which here the owners' exit hooks
     * do). The process exists to own the tables, so that they die with it, and to be the end of
     * the owners' links. Being a GenServer, it works with Sys and supervisors.
     */
    private final RegistryOptions options;

    RegistryServer(RegistryOptions options) {
        this.options = options;
    }

    @Override
    public Init<RegistryTables> init() {
        Kernel.trapExit(true); // registered processes are linked to it; their exits must not kill it
        return Init.ok(RegistryTables.open(Kernel.current(), options));
    }

    @Override
    public Next<RegistryTables> handle(Object message, RegistryTables tables) {
        ServerLoop.LOG.warn("registry {} received an unexpected request: {}", tables.pid, message);
        return Next.noreply(tables);
    }

    @Override
    public Next<RegistryTables> handleInfo(Object message, RegistryTables tables) throws Exception {
        if (message instanceof Exit) {
            return Next.noreply(tables); // an owner exited; its exit hook already removed its entries
        }
        return GenServer.super.handleInfo(message, tables);
    }

    @Override
    public String describe(RegistryTables tables) {
        return tables.toString();
    }
}
