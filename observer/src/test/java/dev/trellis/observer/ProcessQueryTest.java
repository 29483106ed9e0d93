package dev.trellis.observer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trellis.otp.Kernel;
import dev.trellis.otp.Pid;
import dev.trellis.otp.observe.ObserverBackend;
import dev.trellis.otp.observe.ProcessStatus;
import dev.trellis.otp.observe.ProcessSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessQueryTest {
    private static List<ProcessSummary> rows() {
        Pid self = ObserverBackend.processes().isEmpty()
                ? Kernel.spawn(() -> {})
                : ObserverBackend.processes().getFirst().pid();
        List<ProcessSummary> rows = new ArrayList<>();
        for (int i = 0; i < 25; i++) { // the same pid in every row: only its tie-break differs
            rows.add(new ProcessSummary(
                    self, i % 5 == 0 ? "name" + i : null, "label" + (i % 3), ProcessStatus.WAITING, i, 100 - i, null));
        }
        return rows;
    }

    @Test
    void defaultsAreTheFirst50ByPid() {
        ProcessQuery q = ProcessQuery.parse(Map.of());
        assertThat(q).isEqualTo(new ProcessQuery("", ProcessQuery.Sort.PID, false, 0, 50));
    }

    @Test
    void sortingPagingAndSearchingHappenOnTheWholeList() {
        ProcessQuery.Page page = ProcessQuery.parse(
                        Map.of("sort", "mailbox", "order", "desc", "limit", "10", "offset", "10"))
                .apply(rows());
        assertThat(page.total()).isEqualTo(25);
        assertThat(page.matched()).isEqualTo(25);
        assertThat(page.rows())
                .extracting(ProcessSummary::mailboxLength)
                .containsExactly(14, 13, 12, 11, 10, 9, 8, 7, 6, 5);
        ProcessQuery.Page found = ProcessQuery.parse(Map.of("q", "NAME1")).apply(rows());
        assertThat(found.rows()).extracting(ProcessSummary::registeredName).containsExactly("name10", "name15");
        assertThat(found.matched()).isEqualTo(2);
        ProcessQuery.Page names =
                ProcessQuery.parse(Map.of("sort", "name", "limit", "6")).apply(rows());
        assertThat(names.rows())
                .extracting(ProcessSummary::registeredName)
                .containsExactly("name0", "name10", "name15", "name20", "name5", null);
        ProcessQuery.Page past = ProcessQuery.parse(Map.of("offset", "1000")).apply(rows());
        assertThat(past.rows()).isEmpty();
        assertThat(past.matched()).isEqualTo(25);
    }

    @Test
    void badParametersAreRejectedWithTheReason() {
        assertThatThrownBy(() -> ProcessQuery.parse(Map.of("sort", "heap")))
                .isInstanceOf(HttpError.class)
                .hasMessageContaining("sort must be");
        assertThatThrownBy(() -> ProcessQuery.parse(Map.of("order", "x"))).hasMessageContaining("order");
        assertThatThrownBy(() -> ProcessQuery.parse(Map.of("limit", "0")))
                .hasMessageContaining("limit must be 1..1000");
        assertThatThrownBy(() -> ProcessQuery.parse(Map.of("offset", "x"))).hasMessageContaining("integer");
    }
}
