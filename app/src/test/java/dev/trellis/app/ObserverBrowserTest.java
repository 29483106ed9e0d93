package dev.trellis.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/// The seed chapter's Observer session in headless Chromium, against `kv server --observer 0
/// --observer-actions` in a JVM of its own: the tree, a bucket created over TCP appearing,
/// killing it from the UI, killing the registry and watching one_for_all restart the tree with new
/// pids, and paging through 100,000 processes. Takes a screenshot of each page on the way
/// (`target/observer-screenshots/`, and `-Dobserver.screenshots=DIR` copies them to DIR).
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ObserverBrowserTest {
    private static final String KV_TREE = "[data-testid=application][data-name='kv'] ";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private ServerJvm server;
    private ChromeDriver browser;
    private WebDriverWait wait;
    private String base = "";
    private int tcpPort;

    @BeforeAll
    void start(@TempDir Path profile) throws Exception {
        Chromium.ensureInstalled();
        server = new ServerJvm("--observer-actions");
        tcpPort = server.tcpPort();
        base = "http://127.0.0.1:" + server.observerPort() + "/";
        browser = Chromium.start(profile);
        wait = new WebDriverWait(browser, WAIT);
        wait.ignoring(StaleElementReferenceException.class); // the tree is redrawn on every push
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            assertThat(server.terminate()).isZero();
            server.close();
        }
    }

    // ---- the scenario -------------------------------------------------------------------

    @Test
    @Order(1)
    void theTreeShowsKvSupervisorOverBucketSupervisorAndKvRegistry() {
        open("#/applications");
        WebElement top = node("KvSupervisor");
        assertThat(top.getAttribute("data-kind")).isEqualTo("supervisor");
        assertThat(text(top, "node-sup-info")).isEqualTo("one_for_all · 3 in 5s · left 3");
        assertThat(node("BucketSupervisor").getAttribute("data-kind")).isEqualTo("supervisor");
        assertThat(text(node("BucketSupervisor"), "node-sup-info")).startsWith("one_for_one");
        assertThat(node("KvRegistry").getAttribute("data-kind")).isEqualTo("worker");
        assertThat(text(node("KvRegistry"), "node-child-info")).isEqualTo("permanent · restarts 0");
        assertThat(nodes("Bucket")).isEmpty();
    }

    @Test
    @Order(2)
    void aBucketCreatedOverTcpAppearsUnderTheBucketSupervisor() throws IOException {
        assertThat(kv("CREATE shopping", "PUT shopping milk 1")).containsExactly("OK", "OK");
        wait.until(d -> nodes("Bucket").size() == 1);
        WebElement bucket = nodes("Bucket").getFirst();
        assertThat(bucket.getAttribute("data-pid")).matches("<0\\.\\d+\\.0>");
        assertThat(text(bucket, "node-child-info")).isEqualTo("temporary · restarts 0");
    }

    @Test
    @Order(3)
    void killingTheBucketFromTheUiRemovesItAndTheRegistryDropsIt() throws IOException {
        String pid = nodes("Bucket").getFirst().getAttribute("data-pid");
        kill(pid, "kill");
        wait.until(d -> nodes("Bucket").isEmpty());
        assertThat(kv("CREATE other", "GET shopping milk")).containsExactly("OK", "NOT FOUND");
        wait.until(d -> nodes("Bucket").size() == 1); // "other"
    }

    @Test
    @Order(4)
    void killingTheRegistryRestartsBothChildrenWithNewPids() throws IOException {
        String bucketSupervisor = pidOf("BucketSupervisor");
        String registry = pidOf("KvRegistry");
        kill(registry, "kill");
        wait.until(d -> {
            String b = pidOf("BucketSupervisor");
            String r = pidOf("KvRegistry");
            return !b.isEmpty() && !r.isEmpty() && !b.equals(bucketSupervisor) && !r.equals(registry);
        });
        wait.until(d -> text(node("KvRegistry"), "node-child-info").equals("permanent · restarts 1 · last killed"));
        assertThat(text(node("KvSupervisor"), "node-sup-info")).isEqualTo("one_for_all · 3 in 5s · left 2");
        assertThat(nodes("Bucket")).isEmpty(); // one_for_all: the new bucket supervisor starts empty
        assertThat(kv("GET other k")).containsExactly("NOT FOUND");

        assertThat(kv("CREATE shopping", "CREATE groceries", "CREATE work")).containsOnly("OK");
        wait.until(d -> nodes("Bucket").size() == 3);
        node("KvRegistry").click();
        wait.until(d ->
                !d.findElements(By.cssSelector("[data-testid=selection-info]")).isEmpty()
                        && d.findElement(By.cssSelector("[data-testid=selection-info]"))
                                .getText()
                                .contains("killed"));
        screenshot("applications");
        open("#/events");
        wait.until(d -> d.findElements(By.cssSelector("[data-testid=event-row][data-type=restart]"))
                        .size()
                >= 2);
        assertThat(browser.findElement(By.cssSelector("[data-testid=event-rows]"))
                        .getText())
                .contains("kv_supervisor / KvRegistry")
                .contains("kv_supervisor / BucketSupervisor");
        screenshot("events");
    }

    @Test
    @Order(5)
    void theProcessListPagesThrough100000Processes() throws Exception {
        createBuckets(100_000);
        open("#/processes");
        WebElement info = browser.findElement(By.cssSelector("[data-testid=page-info]"));
        Pattern range = Pattern.compile("([\\d,]+)–([\\d,]+) of ([\\d,]+) processes");
        wait.until(d -> range.matcher(info.getText()).matches() && total(range, info.getText()) >= 100_000);
        assertThat(info.getText()).startsWith("1–50 of ");
        assertThat(rows()).hasSize(50);
        String firstRow = rows().getFirst().getAttribute("data-pid");

        browser.findElement(By.cssSelector("[data-testid=page-next]")).click();
        wait.until(d -> info.getText().startsWith("51–100 of "));
        assertThat(rows().getFirst().getAttribute("data-pid")).isNotEqualTo(firstRow);

        browser.findElement(By.cssSelector("[data-testid=page-last]")).click();
        wait.until(d -> {
            Matcher m = range.matcher(info.getText());
            return m.matches() && m.group(2).equals(m.group(3)) && !m.group(1).equals("51");
        });
        assertThat(rows()).isNotEmpty().hasSizeLessThanOrEqualTo(50);

        browser.findElement(By.cssSelector("[data-testid=sort-mailbox]")).click();
        wait.until(d -> info.getText().startsWith("1–50 of "));

        WebElement search = browser.findElement(By.cssSelector("[data-testid=process-search]"));
        search.sendKeys("KvRegistry");
        wait.until(d -> rows().size() == 1 && info.getText().contains("matching"));
        assertThat(rows().getFirst().getText()).contains("kv_registry").contains("KvRegistry");
        screenshot("processes");

        rows().getFirst().findElement(By.cssSelector("[data-testid=pid-link]")).click();
        wait.until(
                d -> !d.findElements(By.cssSelector("[data-testid=detail-pid]")).isEmpty());
        assertThat(browser.findElement(By.cssSelector("[data-testid=detail-label]"))
                        .getText())
                .isEqualTo("KvRegistry");
        assertThat(browser.findElement(By.cssSelector("[data-testid=detail-chain]"))
                        .getText())
                .contains("KvSupervisor (kv_supervisor) — supervisor — application kv");
        assertThat(browser.findElement(By.cssSelector("[data-testid=detail-stack]"))
                        .getText())
                .isNotBlank();
        browser.findElement(By.cssSelector("[data-testid=detail-state-button]")).click();
        wait.until(d -> d.findElement(By.cssSelector("[data-testid=detail-state]"))
                .getText()
                .contains("State["));
        screenshot("process");
    }

    @Test
    @Order(6)
    void theOtherPagesRender() {
        open("#/system");
        wait.until(d -> !d.findElements(By.cssSelector("[data-testid=system-processes]"))
                .isEmpty());
        long processes = Long.parseLong(browser.findElement(By.cssSelector("[data-testid=system-processes]"))
                .getText()
                .replace(",", ""));
        assertThat(processes).isGreaterThanOrEqualTo(100_000);
        assertThat(browser.findElement(By.cssSelector("[data-testid=system-actions]"))
                        .getText())
                .startsWith("on");
        screenshot("system");

        open("#/load");
        wait.until(d -> !d.findElement(By.cssSelector("[data-testid=chart-processes-now]"))
                        .getText()
                        .equals("—")
                && !d.findElement(By.cssSelector("[data-testid=chart-processes-now]"))
                        .getText()
                        .isEmpty());
        screenshot("load");

        open("#/tables");
        wait.until(d -> !d.findElements(By.cssSelector("[data-testid=table-row][data-name=kv_registry]"))
                .isEmpty());
        screenshot("tables");
    }

    // ---- browser helpers ----------------------------------------------------------------

    private void open(String route) {
        browser.get(base + route);
        wait.until(d -> "live"
                .equals(d.findElement(By.cssSelector("[data-testid=stream-status]"))
                        .getText()));
    }

    private List<WebElement> nodes(String id) {
        return browser.findElements(By.cssSelector(KV_TREE + "[data-testid=tree-node][data-id='" + id + "']"));
    }

    @SuppressWarnings("NullAway") // a Selenium condition returns null to keep waiting
    private WebElement node(String id) {
        return java.util.Objects.requireNonNull(wait.until(d -> {
            List<WebElement> found = nodes(id);
            return found.size() == 1 ? found.getFirst() : null;
        }));
    }

    private String pidOf(String id) {
        return String.valueOf(node(id).getAttribute("data-pid"));
    }

    private static String text(WebElement node, String testid) {
        return node.findElement(By.cssSelector("[data-testid=" + testid + "]")).getText();
    }

    private List<WebElement> rows() {
        return browser.findElements(By.cssSelector("[data-testid=process-row]"));
    }

    /// Selects the tree node with `pid`, picks `reason` and presses Kill.
    private void kill(@Nullable String pid, String reason) {
        By byPid = By.cssSelector(KV_TREE + "[data-testid=tree-node][data-pid='" + pid + "']");
        wait.until(d -> {
            d.findElement(byPid).click();
            return d.findElement(By.cssSelector("[data-testid=selection-info]"))
                    .getText()
                    .contains(String.valueOf(pid));
        });
        wait.until(d -> {
            new Select(d.findElement(By.cssSelector("[data-testid=kill-reason]"))).selectByValue(reason);
            d.findElement(By.cssSelector("[data-testid=kill-button]")).click();
            return true;
        });
        wait.until(d -> d.findElement(By.cssSelector("[data-testid=kill-result]"))
                .getText()
                .startsWith("sent " + reason));
    }

    private void screenshot(String name) {
        byte[] png = browser.getScreenshotAs(OutputType.BYTES);
        try {
            Path dir = Path.of("target", "observer-screenshots");
            Files.createDirectories(dir);
            Files.write(dir.resolve(name + ".png"), png);
            String copy = System.getProperty("observer.screenshots");
            if (copy != null && !copy.isBlank()) {
                Path to = Path.of(copy);
                Files.createDirectories(to);
                Files.write(to.resolve(name + ".png"), png);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot save screenshot " + name, e);
        }
    }

    private static long total(Pattern range, String text) {
        Matcher m = range.matcher(text);
        return m.matches() ? Long.parseLong(m.group(3).replace(",", "")) : 0;
    }

    // ---- the KV protocol ----------------------------------------------------------------

    /// Sends `commands` and returns the reply lines (one per command; GET's value line dropped
    /// when it is followed by OK).
    private List<String> kv(String... commands) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), tcpPort)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write((String.join("\r\n", commands) + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            List<String> replies = new java.util.ArrayList<>();
            for (String c : commands) {
                String line = in.readLine();
                if (c.startsWith("GET ") && !"NOT FOUND".equals(line)) {
                    line = in.readLine(); // the value, then OK
                }
                replies.add(line);
            }
            return replies;
        }
    }

    /// Creates `n` buckets over one pipelined connection (a writer thread, replies read here).
    private void createBuckets(int n) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), tcpPort)) {
            s.setSoTimeout(60_000);
            CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = new java.io.BufferedOutputStream(s.getOutputStream(), 1 << 16);
                    for (int i = 0; i < n; i++) {
                        out.write(("CREATE b" + i + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    }
                    out.flush();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            for (int i = 0; i < n; i++) {
                String line = in.readLine();
                if (!"OK".equals(line)) {
                    throw new AssertionError("CREATE b" + i + " answered " + line);
                }
            }
            written.get();
        }
    }
}
