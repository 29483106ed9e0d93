package dev.trellis.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/// Headless Chromium for the browser tests: Debian's `chromium` and `chromium-driver`, installed
/// with apt-get when missing (the tests run as root, as CI does), never downloaded by Selenium.
final class Chromium {
    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private Chromium() {}

    /// Installs `chromium` and `chromium-driver` if either binary is missing; fails with apt's
    /// output if that does not work.
    static synchronized void ensureInstalled() throws IOException, InterruptedException {
        if (Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER)) {
            return;
        }
        apt("update", "-qq");
        apt("install", "-y", "-qq", "--no-install-recommends", "chromium", "chromium-driver");
        if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
            throw new AssertionError("apt-get installed chromium but " + BROWSER + " or " + DRIVER + " is missing");
        }
    }

    private static void apt(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("apt-get"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new AssertionError("browser tests need chromium: `" + String.join(" ", command) + "` failed:\n"
                    + new String(out, StandardCharsets.UTF_8));
        }
    }

    /// A headless browser with a fresh profile in `profile`.
    static ChromeDriver start(Path profile) {
        System.setProperty("webdriver.chrome.driver", DRIVER.toString());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .withTimeout(Duration.ofSeconds(30))
                .build();
        ChromeOptions options = new ChromeOptions()
                .setBinary(BROWSER.toFile())
                .addArguments(
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--no-first-run",
                        "--disable-quic",
                        "--disable-dev-shm-usage",
                        "--window-size=1500,1000",
                        "--user-data-dir=" + profile);
        return new ChromeDriver(service, options);
    }
}
