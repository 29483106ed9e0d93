package dev.trellis.reliability;

import java.util.List;
import java.util.Locale;

/// What a [Soak] found.
///
/// @param seconds how long the clients ran
/// @param clients well-formed clients
/// @param abusiveClients abusive clients
/// @param requests well-formed requests answered
/// @param wrongReplies well-formed requests answered otherwise than the model predicts (a lost
///     connection or a timeout counts as one)
/// @param bucketKills buckets killed while the clients ran
/// @param abusiveConnections connections the abusive clients opened
/// @param leakedProcesses processes left after every client closed, beyond those before the
///     clients started and the buckets still registered
/// @param leakedThreads platform threads left beyond those before the clients started
/// @param restarts restarts done by the server's and the store's supervisors
/// @param acceptorAlive whether the acceptor that started is still the one accepting
/// @param freshClientOk whether a new client is served correctly at the end
/// @param problems a description of each wrong reply (the first few) and each leak
public record SoakReport(
        double seconds,
        int clients,
        int abusiveClients,
        long requests,
        long wrongReplies,
        long bucketKills,
        long abusiveConnections,
        long leakedProcesses,
        long leakedThreads,
        long restarts,
        boolean acceptorAlive,
        boolean freshClientOk,
        List<String> problems) {

    public SoakReport {
        problems = List.copyOf(problems);
    }

    /// All is well: requests were served, none wrongly, nothing leaked or restarted, the acceptor
    /// survived and a fresh client works.
    public boolean ok() {
        return requests > 0
                && wrongReplies == 0
                && leakedProcesses == 0
                && leakedThreads == 0
                && restarts == 0
                && acceptorAlive
                && freshClientOk;
    }

    /// The one JSON object of `--json`.
    public String json() {
        return String.format(
                Locale.ROOT,
                "{\"requests\":%d,\"wrong_replies\":%d,\"leaked_processes\":%d,\"restarts\":%d,"
                        + "\"fresh_client_ok\":%b,\"leaked_threads\":%d,\"acceptor_alive\":%b,\"bucket_kills\":%d,"
                        + "\"abusive_connections\":%d,\"seconds\":%.1f,\"clients\":%d,\"abusive_clients\":%d,\"ok\":%b}",
                requests,
                wrongReplies,
                leakedProcesses,
                restarts,
                freshClientOk,
                leakedThreads,
                acceptorAlive,
                bucketKills,
                abusiveConnections,
                seconds,
                clients,
                abusiveClients,
                ok());
    }

    /// The summary for people.
    public String human() {
        StringBuilder sb = new StringBuilder(String.format(
                Locale.ROOT,
                "soak: %.0f s, %d well-formed + %d abusive clients%n"
                        + "  requests          %,d (%,.0f/s)%n"
                        + "  wrong replies     %d%n"
                        + "  bucket kills      %,d%n"
                        + "  abusive conns     %,d%n"
                        + "  leaked processes  %d%n"
                        + "  leaked threads    %d%n"
                        + "  restarts          %d%n"
                        + "  acceptor alive    %s%n"
                        + "  fresh client ok   %s%n",
                seconds,
                clients - abusiveClients,
                abusiveClients,
                requests,
                requests / Math.max(seconds, 1e-9),
                wrongReplies,
                bucketKills,
                abusiveConnections,
                leakedProcesses,
                leakedThreads,
                restarts,
                acceptorAlive ? "yes" : "NO",
                freshClientOk ? "yes" : "NO"));
        for (String p : problems) {
            sb.append("  ! ").append(p).append('\n');
        }
        return sb.append(ok() ? "soak: all well" : "soak: FAILED").toString();
    }
}
