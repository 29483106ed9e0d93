package dev.trellis.observer;

import dev.trellis.otp.observe.ProcessSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/// One page of the process listing, searched and sorted on the server (`GET /api/processes`).
///
/// | parameter | values | default |
/// |---|---|---|
/// | `q` | text found (case-insensitively) in the pid, name or label; at most 200 chars | none |
/// | `sort` | `pid`, `name`, `label`, `status`, `mailbox`, `messages`, `parent` | `pid` |
/// | `order` | `asc`, `desc` | `asc` |
/// | `offset` | 0 … | 0 |
/// | `limit` | 1 … 1000 | 50 |
///
/// Anything else is a 400 with the reason.
///
/// @param q the search text, empty for none
/// @param sort the column
/// @param descending whether the order is descending
/// @param offset the first row
/// @param limit the most rows
record ProcessQuery(String q, Sort sort, boolean descending, int offset, int limit) {

    /// The sortable columns.
    enum Sort {
        PID(Comparator.comparing(ProcessSummary::pid)),
        NAME(Comparator.comparing(ProcessSummary::registeredName, Comparator.nullsLast(Comparator.naturalOrder()))),
        LABEL(Comparator.comparing(ProcessSummary::label)),
        STATUS(Comparator.comparing(ProcessSummary::status)),
        MAILBOX(Comparator.comparingInt(ProcessSummary::mailboxLength)),
        MESSAGES(Comparator.comparingLong(ProcessSummary::messagesReceived)),
        PARENT(Comparator.comparing(ProcessSummary::parent, Comparator.nullsFirst(Comparator.naturalOrder())));

        final Comparator<ProcessSummary> order;

        Sort(Comparator<ProcessSummary> order) {
            this.order = order.thenComparing(ProcessSummary::pid);
        }
    }

    /// The page of `rows` this query selects.
    ///
    /// @param total live processes
    /// @param matched processes matching `q`
    record Page(
            int total,
            int matched,
            int offset,
            int limit,
            String sort,
            String order,
            String q,
            List<ProcessSummary> rows) {}

    static ProcessQuery parse(Map<String, String> params) {
        String q = params.getOrDefault("q", "").strip();
        if (q.length() > 200) {
            throw HttpError.badRequest("q must be at most 200 characters");
        }
        String sortName = params.getOrDefault("sort", "pid");
        Sort sort;
        try {
            sort = Sort.valueOf(sortName.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest(
                    "sort must be one of pid, name, label, status, mailbox, messages, parent; got " + sortName);
        }
        String order = params.getOrDefault("order", "asc");
        if (!order.equals("asc") && !order.equals("desc")) {
            throw HttpError.badRequest("order must be asc or desc, got " + order);
        }
        int offset = Exchanges.intParam(params, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = Exchanges.intParam(params, "limit", 50, 1, 1000);
        return new ProcessQuery(q, sort, order.equals("desc"), offset, limit);
    }

    Page apply(List<ProcessSummary> all) {
        List<ProcessSummary> matching = q.isEmpty() ? new ArrayList<>(all) : filter(all);
        matching.sort(descending ? sort.order.reversed() : sort.order);
        int from = Math.min(offset, matching.size());
        int to = Math.min(matching.size(), from + limit);
        return new Page(
                all.size(),
                matching.size(),
                offset,
                limit,
                sort.name().toLowerCase(Locale.ROOT),
                descending ? "desc" : "asc",
                q,
                List.copyOf(matching.subList(from, to)));
    }

    private List<ProcessSummary> filter(List<ProcessSummary> all) {
        String needle = q.toLowerCase(Locale.ROOT);
        List<ProcessSummary> out = new ArrayList<>();
        for (ProcessSummary p : all) {
            if (contains(p.pid().toString(), needle)
                    || contains(p.registeredName(), needle)
                    || contains(p.label(), needle)) {
                out.add(p);
            }
        }
        return out;
    }

    private static boolean contains(@Nullable String haystack, String needle) {
        return haystack != null && haystack.toLowerCase(Locale.ROOT).contains(needle);
    }
}
