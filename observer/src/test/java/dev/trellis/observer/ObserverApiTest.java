package dev.trellis.observer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trellis.otp.ExitReason;
import dev.trellis.otp.Kernel;
import dev.trellis.otp.Pid;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/// The JSON contract of every `/api/` endpoint, read over real HTTP and parsed with Jackson.
class ObserverApiTest {
    static Observer readOnly;
    static Observer withActions;
    static Http http;
    static Http actions;

    @BeforeAll
    static void start() throws IOException {
        DemoTree.start();
        readOnly = Observer.start(ObserverConfig.defaults().port(0));
        withActions = Observer.start(ObserverConfig.defaults().port(0).actions(true));
        http = new Http(readOnly);
        actions = new Http(withActions);
    }

    @AfterAll
    static void stop() {
        readOnly.close();
        withActions.close();
        DemoTree.stop();
    }

    private static List<JsonNode> list(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).toList();
    }

    private static JsonNode supervisor(JsonNode applications, String name) {
        return list(applications.get("supervisors")).stream()
                .filter(s -> name.equals(s.path("name").asText(null)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no supervisor " + name + " in " + applications));
    }

    @Test
    void systemHasVersionsUptimeCountsAndMemory() {
        JsonNode s = http.json("/api/system");
        assertThat(s.get("java").get("version").asText())
                .startsWith(Integer.toString(Runtime.version().feature()));
        assertThat(s.get("uptime").asText()).startsWith("PT");
        assertThat(s.get("processes").asLong()).isPositive();
        assertThat(s.get("spawns").asLong())
                .isGreaterThanOrEqualTo(s.get("processes").asLong());
        assertThat(s.get("exits").fieldNames())
                .toIterable()
                .containsExactly("normal", "shutdown", "killed", "noproc", "noconnection", "crash", "other");
        assertThat(s.get("supervisors").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(s.get("applications").asInt()).isPositive();
        assertThat(s.get("supervision").get("restarts").isIntegralNumber()).isTrue();
        assertThat(s.get("memory").get("heapUsed").asLong()).isPositive();
        assertThat(s.get("actions").asBoolean()).isFalse();
        assertThat(actions.json("/api/system").get("actions").asBoolean()).isTrue();
    }

    @Test
    void applicationsListTheTreeWithStrategyIntensityBudgetAndChildren() {
        JsonNode view = http.json("/api/applications");
        assertThat(list(view.get("applications"))).anySatisfy(a -> {
            assertThat(a.get("name").asText()).isEqualTo(DemoTree.APP);
            assertThat(a.get("supervisor").asText())
                    .isEqualTo(DemoTree.whereis("demo_sup").toString());
        });
        JsonNode top = supervisor(view, "demo_sup");
        assertThat(top.get("path").asText()).isEqualTo("demo_sup");
        assertThat(top.get("label").asText()).isEqualTo("DemoSup");
        assertThat(top.get("kind").asText()).isEqualTo("SUPERVISOR");
        assertThat(top.get("strategy").asText()).isEqualTo("one_for_all");
        assertThat(top.get("maxRestarts").asInt()).isEqualTo(3);
        assertThat(top.get("period").asText()).isEqualTo("PT5S");
        assertThat(top.get("restartsLeft").asInt()).isBetween(0, 3);
        assertThat(top.get("childCount").asInt()).isEqualTo(2);
        assertThat(list(top.get("children")))
                .extracting(c -> c.get("id").asText())
                .containsExactly("workers", "counter");
        JsonNode counter = top.get("children").get(1);
        assertThat(counter.get("pid").asText())
                .isEqualTo(DemoTree.whereis("demo_counter").toString());
        assertThat(counter.get("state").asText()).isEqualTo("RUNNING");
        assertThat(counter.get("type").asText()).isEqualTo("worker");
        assertThat(counter.get("restart").asText()).isEqualTo("permanent");
        assertThat(counter.get("restarts").isIntegralNumber()).isTrue();
        assertThat(counter.has("lastExit")).isTrue();
        assertThat(top.get("children").get(0).get("type").asText()).isEqualTo("supervisor");
        assertThat(supervisor(view, "demo_workers").get("kind").asText()).isEqualTo("DYNAMIC_SUPERVISOR");
        assertThat(view.get("version").isIntegralNumber()).isTrue();
    }

    @Test
    void aDynamicSupervisorsChildrenAreCappedByTheChildrenParameter() {
        Pid a = DemoTree.startWorker();
        Pid b = DemoTree.startWorker();
        JsonNode one = http.json("/api/supervisors/" + Http.encode(DemoTree.whereis("demo_workers")) + "?children=1");
        assertThat(one.get("childCount").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(one.get("children")).hasSize(1);
        assertThat(http.json("/api/supervisors/" + Http.encode(DemoTree.whereis("demo_counter")), 404)
                        .get("error")
                        .asText())
                .contains("not a live supervisor");
        Kernel.exit(a, ExitReason.KILL);
        Kernel.exit(b, ExitReason.KILL);
    }

    @Test
    void processesAreSearchedSortedAndPagedOnTheServer() {
        JsonNode all = http.json("/api/processes?limit=2");
        assertThat(all.get("total").asInt()).isPositive();
        assertThat(all.get("matched").asInt()).isEqualTo(all.get("total").asInt());
        assertThat(all.get("rows")).hasSize(2);
        assertThat(all.get("sort").asText()).isEqualTo("pid");
        List<Long> serials = list(all.get("rows")).stream()
                .map(r -> Long.parseLong(r.get("pid").asText().split("\\.")[1]))
                .toList();
        assertThat(serials).isSorted();
        JsonNode row = all.get("rows").get(0);
        assertThat(row.fieldNames())
                .toIterable()
                .containsExactly(
                        "pid", "registeredName", "label", "status", "mailboxLength", "messagesReceived", "parent");

        JsonNode second = http.json("/api/processes?limit=2&offset=2");
        assertThat(second.get("offset").asInt()).isEqualTo(2);
        assertThat(second.get("rows").get(0).get("pid").asText())
                .isNotEqualTo(row.get("pid").asText());

        JsonNode found = http.json("/api/processes?q=COUNTER");
        assertThat(list(found.get("rows")))
                .singleElement()
                .satisfies(r -> assertThat(r.get("registeredName").asText()).isEqualTo("demo_counter"));
        assertThat(found.get("matched").asInt()).isEqualTo(1);

        JsonNode byLabel = http.json("/api/processes?sort=label&order=desc&limit=1000");
        List<String> labels = list(byLabel.get("rows")).stream()
                .map(r -> r.get("label").asText())
                .toList();
        assertThat(labels).isSortedAccordingTo(java.util.Comparator.<String>reverseOrder());
    }

    @Test
    void badPageParametersAre400WithTheReason() {
        for (String bad : List.of(
                "limit=0", "limit=1001", "limit=ten", "offset=-1", "sort=size", "order=up", "q=" + "x".repeat(201))) {
            JsonNode error = http.json("/api/processes?" + bad, 400);
            assertThat(error.get("status").asInt()).isEqualTo(400);
            assertThat(error.get("error").asText()).isNotBlank();
        }
        assertThat(http.json("/api/applications?children=-1", 400).get("error").asText())
                .contains("children");
        assertThat(http.json("/api/system").get("processes").asLong()).isPositive(); // still serving
    }

    @Test
    void aProcessDetailHasStackLinksMonitorsAndTheSupervisorChain() {
        Pid counter = DemoTree.whereis("demo_counter");
        JsonNode d = http.json("/api/processes/" + Http.encode(counter));
        assertThat(d.get("pid").asText()).isEqualTo(counter.toString());
        assertThat(d.get("name").asText()).isEqualTo("demo_counter");
        assertThat(d.get("label").asText()).isEqualTo("Counter");
        assertThat(d.get("status").asText()).isIn("WAITING", "RUNNING");
        assertThat(d.get("mailboxLength").asInt()).isZero();
        assertThat(list(d.get("links")))
                .extracting(JsonNode::asText)
                .contains(DemoTree.whereis("demo_sup").toString());
        assertThat(d.get("monitoredBy").isArray()).isTrue();
        assertThat(list(d.get("stack")))
                .isNotEmpty()
                .allSatisfy(f -> assertThat(f.isTextual()).isTrue());
        assertThat(d.get("application").asText()).isEqualTo(DemoTree.APP);
        JsonNode chain = d.get("supervisorChain");
        assertThat(chain.get(0).get("pid").asText())
                .isEqualTo(DemoTree.whereis("demo_sup").toString());
        assertThat(chain.get(0).get("supervisor").asBoolean()).isTrue();
        assertThat(chain.get(0).get("application").asText()).isEqualTo(DemoTree.APP);
        assertThat(chain.get(1).get("supervisor").asBoolean()).isFalse(); // the application master
        assertThat(d.get("supervisor").isNull()).isTrue();
        JsonNode sup =
                http.json("/api/processes/" + DemoTree.whereis("demo_sup").serial());
        assertThat(sup.get("supervisor").get("strategy").asText()).isEqualTo("one_for_all");
    }

    @Test
    void anUnknownPidIs400ADeadOne404AndAnUnknownPath404() {
        assertThat(http.json("/api/processes/nonsense", 400).get("error").asText())
                .contains("not a pid");
        assertThat(http.json("/api/processes/" + Http.encode("<0.1.1>"), 400)
                        .get("status")
                        .asInt())
                .isEqualTo(400);
        Pid dead = Kernel.spawn(() -> {});
        await().atMost(Duration.ofSeconds(5)).until(() -> !Kernel.isAlive(dead));
        assertThat(http.json("/api/processes/" + Http.encode(dead), 404)
                        .get("error")
                        .asText())
                .contains("no process");
        assertThat(http.json("/api/nothing", 404).get("status").asInt()).isEqualTo(404);
        assertThat(http.json("/api/system/extra", 404).get("status").asInt()).isEqualTo(404);
        assertThat(Http.parse(http.post("/api/system", "application/json", "{}"), 405)
                        .get("error")
                        .asText())
                .contains("POST is not allowed");
    }

    @Test
    void killAndStateAre403WithoutActions() {
        Pid counter = DemoTree.whereis("demo_counter");
        JsonNode refused = Http.parse(
                http.post(
                        "/api/processes/" + Http.encode(counter) + "/kill",
                        "application/json",
                        "{\"reason\":\"kill\"}"),
                403);
        assertThat(refused.get("error").asText()).contains("--observer-actions");
        assertThat(http.json("/api/processes/" + Http.encode(counter) + "/state", 403)
                        .get("status")
                        .asInt())
                .isEqualTo(403);
        assertThat(Kernel.isAlive(counter)).isTrue();
    }

    @Test
    void killSendsTheChosenReasonAndTheSupervisorRestartsTheChild() {
        Pid worker = DemoTree.startWorker();
        HttpResponse<String> r = actions.post(
                "/api/processes/" + Http.encode(worker) + "/kill", "application/json", "{\"reason\": \"boom\"}");
        JsonNode killed = Http.parse(r, 202);
        assertThat(killed.get("pid").asText()).isEqualTo(worker.toString());
        assertThat(killed.get("reason").asText()).isEqualTo("boom");
        await().atMost(Duration.ofSeconds(5)).until(() -> !Kernel.isAlive(worker));
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(
                                list(actions.json("/api/events?limit=1024").get("events")))
                        .anySatisfy(e -> {
                            assertThat(e.get("type").asText()).isEqualTo("crash");
                            assertThat(e.get("pid").asText()).isEqualTo(worker.toString());
                            assertThat(e.get("reason").asText()).isEqualTo("boom");
                        }));
    }

    @Test
    void badKillRequestsAre4xx() {
        String path = "/api/processes/" + Http.encode(DemoTree.whereis("demo_counter")) + "/kill";
        assertThat(Http.parse(actions.post(path, "text/plain", "{\"reason\":\"kill\"}"), 415)
                        .get("status")
                        .asInt())
                .isEqualTo(415);
        for (String body : List.of("", "not json", "{}", "{\"reason\": 3}", "{\"reason\": \"  \"}")) {
            assertThat(Http.parse(actions.post(path, "application/json", body), 400)
                            .get("error")
                            .asText())
                    .contains("reason");
        }
        assertThat(actions.get(path).statusCode()).isEqualTo(405);
        assertThat(Kernel.isAlive(DemoTree.whereis("demo_counter"))).isTrue();
    }

    @Test
    void theStateViewShowsABehavioursState() {
        JsonNode s = actions.json("/api/processes/" + Http.encode(DemoTree.whereis("demo_counter")) + "/state");
        assertThat(s.get("type").asText()).isEqualTo("java.util.TreeMap");
        assertThat(s.get("state").asText()).isEqualTo("{hits=0}");
        assertThat(s.get("truncated").asBoolean()).isFalse();
    }

    @Test
    void tablesAndEventsHaveTheirEndpoints() {
        JsonNode tables = http.json("/api/tables");
        assertThat(tables.get("tables").isArray()).isTrue();
        JsonNode events = http.json("/api/events?limit=3");
        assertThat(events.get("events").size()).isLessThanOrEqualTo(3);
        assertThat(http.json("/api/events?limit=0", 400).get("status").asInt()).isEqualTo(400);
    }

    @Test
    void theUiIsServedWithStableTestIds() {
        HttpResponse<String> index = http.get("/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(index.body()).contains("data-testid=\"nav-applications\"").contains("/app.js");
        assertThat(http.get("/app.js").body()).contains("tree-node").contains("kill-button");
        assertThat(http.get("/style.css").statusCode()).isEqualTo(200);
        assertThat(Http.parse(http.get("/../etc/passwd"), 404).get("status").asInt())
                .isEqualTo(404);
    }

    @Test
    void theStreamStartsWithTheTreeAndPushesRuntimeEvents() throws Exception {
        try (EventStreamClient stream = new EventStreamClient(readOnly.uri().resolve("/api/events/stream"))) {
            EventStreamClient.Frame first = stream.next(f -> true);
            assertThat(first.event()).isEqualTo("tree");
            assertThat(Http.JSON.readTree(first.data()).get("supervisors").isArray())
                    .isTrue();
            Pid counter = DemoTree.whereis("demo_counter");
            Kernel.exit(counter, ExitReason.other("stream test"));
            List<String> types = new ArrayList<>();
            EventStreamClient.Frame restart = stream.next(f -> {
                types.add(f.event());
                return f.event().equals("runtime")
                        && f.data().contains("\"type\":\"restart\"")
                        && f.data().contains("\"oldPid\":\"" + counter + "\"");
            });
            JsonNode e = Http.JSON.readTree(restart.data());
            assertThat(e.get("supervisorPath").asText()).isEqualTo("demo_sup");
            assertThat(e.get("childId").asText()).isEqualTo("counter");
            assertThat(e.get("newPid").asText())
                    .isEqualTo(DemoTree.whereis("demo_counter").toString());
            assertThat(restart.id()).isEqualTo(e.get("sequence").asText());
            EventStreamClient.Frame tree = stream.next(f -> f.event().equals("tree")
                    && f.data().contains(DemoTree.whereis("demo_counter").toString()));
            assertThat(tree.data()).contains("\"lastExit\":\"stream test\"");
        }
    }
}
