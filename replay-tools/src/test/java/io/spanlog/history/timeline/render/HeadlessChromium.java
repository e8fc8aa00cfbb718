package io.spanlog.history.timeline.render;

import io.spanlog.infra.testing.E2eGate;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * A real headless Chromium for browser tests: Debian's {@code chromium} and {@code
 * chromium-driver} (installed by {@code .ci/run}), both given by path so Selenium Manager never
 * runs (it would try the network). Missing, the test fails under {@code SPANLOG_E2E=required} and
 * is skipped otherwise, saying why ({@link E2eGate}). Also the console's browser test's.
 */
public final class HeadlessChromium implements AutoCloseable {
  static final Path BROWSER = Path.of(System.getProperty("spanlog.chromium", "/usr/bin/chromium"));
  static final Path DRIVER = Path.of(System.getProperty("spanlog.chromedriver", "/usr/bin/chromedriver"));

  public final ChromeDriver driver;
  private final Path profile;

  private HeadlessChromium(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  /** Starts the browser, or fails/skips the calling test when it is not installed. */
  public static HeadlessChromium start(int width, int height) throws Exception {
    E2eGate.require("a headless Chromium", missing());
    Path profile = Files.createTempDirectory("spanlog-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort().build();
    return new HeadlessChromium(new ChromeDriver(service, options), profile);
  }

  static Optional<String> missing() {
    if (!Files.isExecutable(BROWSER)) {
      return Optional.of(BROWSER + " is missing (apt-get install -y chromium chromium-driver)");
    }
    if (!Files.isExecutable(DRIVER)) {
      return Optional.of(DRIVER + " is missing (apt-get install -y chromium-driver)");
    }
    return Optional.empty();
  }

  /** The browser console's entries at level SEVERE (uncaught errors, failed loads). */
  public List<LogEntry> consoleErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
  }

  /** Saves a screenshot of the window to {@code file}. */
  public Path screenshot(Path file) throws Exception {
    File shot = driver.getScreenshotAs(OutputType.FILE);
    Files.createDirectories(file.getParent());
    Files.copy(shot.toPath(), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return file;
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (Exception ignored) {
        // a temporary profile left behind is harmless
      }
    }
  }
}
