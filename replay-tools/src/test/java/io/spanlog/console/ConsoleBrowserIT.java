package io.spanlog.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.events.PeerState;
import io.spanlog.history.timeline.render.HeadlessChromium;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import io.spanlog.console.server.ConsoleServer;
import io.spanlog.ctl.ObserverAddress;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real headless Chromium (Debian's chromium + chromium-driver, by path: Selenium
 * Manager never runs; the timeline test's {@link HeadlessChromium}) against a real broker with a recorded history: the fleet page's counts, a
 * link event turning the fleet's count and the matrix cell to down live, the slider's deep link to
 * before the cut showing it up, no console errors. Screenshots in target/screenshots/.
 */
@Timeout(300)
class ConsoleBrowserIT {
  static final Path OUT = Path.of("target", "screenshots");
  static ConsoleHistory history;
  static HeadlessChromium chromium;
  static ChromeDriver driver;

  @BeforeAll
  static void start() throws Exception {
    chromium = HeadlessChromium.start(1280, 1000); // fails under SPANLOG_E2E=required, else skips, when missing
    driver = chromium.driver;
    history = new ConsoleHistory();
    history.start(Optional.empty());
  }

  @AfterAll
  static void stop() {
    if (chromium != null) {
      chromium.close();
    }
    if (history != null) {
      history.close();
    }
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static void screenshot(String name) throws Exception {
    chromium.screenshot(OUT.resolve(name));
  }

  static String text(String css) {
    return driver.findElement(By.cssSelector(css)).getText();
  }

  static Object js(String script) {
    return ((JavascriptExecutor) driver).executeScript(script);
  }

  /** Moves the mouse over the matrix cell node → peer. */
  static void hover(String node, String peer) {
    Object xy = js("const v = window.spanlog.view(); const c = document.getElementById('matrix');"
        + "const i = v.nodes.findIndex(n => n.label === '" + node + "'), j = v.nodes.findIndex(n => n.label === '" + peer + "');"
        + "const s = Math.max(1, Math.min(28, Math.floor(800 / v.nodes.length))); const l = Number(c.dataset.label);"
        + "return [Math.round(l + j * s + s / 2 - c.width / 2), Math.round(l + i * s + s / 2 - c.height / 2)];");
    java.util.List<?> p = (java.util.List<?>) xy;
    new Actions(driver).moveToElement(driver.findElement(By.id("matrix")), ((Number) p.get(0)).intValue(),
        ((Number) p.get(1)).intValue()).perform();
  }

  @Test
  void fleetAndMatrixUpdateLiveAndTheSliderShowsBeforeTheCut() throws Exception {
    String base = history.console.url();
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
    String row = "#fleet tr[data-cluster='" + history.h.cluster + "']";

    // the fleet: both clusters with their counts
    driver.get(base);
    wait.until(d -> !d.findElements(By.cssSelector(row)).isEmpty());
    assertThat(text(row + " td.nodes")).isEqualTo("3");
    assertThat(text(row + " td.up")).isEqualTo("4");
    assertThat(text(row + " td.down")).isEqualTo("0");
    assertThat(text("#fleet tr[data-cluster='" + history.slashCluster + "'] td.nodes")).isEqualTo("2");
    assertThat(text(row + " td.without-discovery")).isEqualTo("0");
    wait.until(d -> text("#live").equals("live"));
    screenshot("console-fleet.png");

    // the observer reports node-3 silent: the fleet's nodes-without-discovery count turns 1 live, and 0 when it is back
    history.silent(history.h.cluster, 3, false);
    wait.until(d -> text(row + " td.without-discovery").equals("1"));
    screenshot("console-fleet-node-silent.png");
    history.silent(history.h.cluster, 3, true);
    wait.until(d -> text(row + " td.without-discovery").equals("0"));

    // a link event: the fleet's down count turns 1 live
    history.link(history.h.cluster, 1, 2, PeerState.DOWN);
    wait.until(d -> text(row + " td.down").equals("1"));
    assertThat(text(row + " td.up")).isEqualTo("3");
    // the filter hides the other cluster
    driver.findElement(By.id("filter")).sendKeys("team/");
    wait.until(d -> d.findElements(By.cssSelector(row)).isEmpty());
    assertThat(driver.findElements(By.cssSelector("#fleet tr[data-cluster='" + history.slashCluster + "']"))).hasSize(1);
    screenshot("console-fleet-link-down.png");

    // the cluster page: the matrix on a canvas, the cell down; another cut arrives live
    driver.get(base + "cluster/" + enc(history.h.cluster));
    wait.until(d -> "down".equals(js("return window.spanlog.cell('node-1', 'node-2')")));
    assertThat(js("return window.spanlog.cell('node-2', 'node-1')")).isEqualTo("up");
    assertThat(driver.findElements(By.cssSelector("canvas#matrix"))).hasSize(1);
    assertThat(text("#affiliates")).contains("host-1", "host-2", "host-3");
    wait.until(d -> text("#live").equals("live"));
    history.link(history.h.cluster, 3, 1, PeerState.DOWN);
    wait.until(d -> "down".equals(js("return window.spanlog.cell('node-3', 'node-1')")));
    // the canvas pixel of that cell is the down colour
    Object pixel = js("const v = window.spanlog.view(); const c = document.getElementById('matrix');"
        + "const i = v.nodes.findIndex(n => n.label === 'node-3'), j = v.nodes.findIndex(n => n.label === 'node-1');"
        + "const s = Math.max(1, Math.min(28, Math.floor(800 / v.nodes.length))); const l = Number(c.dataset.label);"
        + "return Array.from(c.getContext('2d').getImageData(l + j * s + 2, l + i * s + 2, 1, 1).data).slice(0, 3).join(',');");
    assertThat(pixel).isEqualTo("221,51,51");
    screenshot("console-cluster-live.png");

    // the drawn marker a benchmark waits for
    assertThat(js("return performance.getEntriesByName('spanlog-matrix-drawn').length > 0"
        + " && Number(document.getElementById('matrix').dataset.drawn) > 0")).isEqualTo(true);

    // hovering a cell shows the link's RX/TX rates of the window at the page's instant (the log's link metrics)
    Instant windowEnd = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    history.metrics(history.h.cluster, 1, 3, windowEnd.minusSeconds(60), windowEnd, 1500, 250);
    driver.navigate().refresh();
    wait.until(d -> "up".equals(js("return window.spanlog.cell('node-1', 'node-3')")));
    hover("node-1", "node-3");
    wait.until(d -> driver.findElement(By.id("tip")).isDisplayed());
    assertThat(text("#tip")).contains("node-1 → node-3").contains("RX 1.5k B/s").contains("TX 250 B/s")
        .contains("window from " + windowEnd.minusSeconds(60));
    screenshot("console-cluster-hover-rates.png");
    hover("node-2", "node-1");
    wait.until(d -> text("#tip").contains("node-2 → node-1"));
    assertThat(text("#tip")).contains("RX/TX: no traffic window in the log around this instant");

    // the deep link to before the cuts: all up
    driver.get(base + "cluster/" + enc(history.h.cluster) + "?at=" + enc(history.allUp.toString()));
    wait.until(d -> "up".equals(js("return window.spanlog.cell('node-1', 'node-2')")));
    assertThat(js("return window.spanlog.cell('node-3', 'node-1')")).isEqualTo("up");
    assertThat(text("#when")).isEqualTo(history.allUp.toString().replaceAll("(\\.\\d{3})\\d*Z$", "$1Z")
        .replaceAll(":(\\d\\d)Z$", ":$1.000Z"));
    screenshot("console-cluster-before-cut.png");

    // a console whose endpoint observer cannot be reached: the page opens from the log, with a notice
    ConsoleServer other = history.another(Optional.of(new ObserverAddress("127.0.0.1", ConsoleObserverIT.closedPort())));
    try {
      driver.get(other.url() + "cluster/" + enc(history.h.cluster));
      wait.until(d -> driver.findElement(By.id("observer")).isDisplayed());
      assertThat(text("#observer")).contains("cannot connect to the observer at 127.0.0.1:")
          .contains("the matrix shows the log's links");
      assertThat(js("return window.spanlog.cell('node-2', 'node-1')")).isEqualTo("up");
      screenshot("console-cluster-observer-unreachable.png");
    } finally {
      driver.get("about:blank"); // the page's event stream ends before its console does
      other.close();
    }

    // an unknown cluster: a page that says so
    driver.get(base + "cluster/no-such-cluster");
    assertThat(text("#error")).startsWith("unknown cluster 'no-such-cluster'");

    assertThat(chromium.consoleErrors().stream().map(LogEntry::getMessage)
        .filter(m -> !m.contains("no-such-cluster"))) // the 404 of the unknown cluster's page itself
        .isEmpty();
  }

  @Test
  void draggingAcrossTheLinksBandsOpensThatRangeAsADeepLink() throws Exception {
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
    java.time.Instant now = java.time.Instant.now();
    driver.get(history.console.url() + "cluster/" + enc(history.h.cluster) + "/link/node-1/node-2?from="
        + enc(history.allUp.minusSeconds(60).toString()) + "&to=" + enc(now.plusSeconds(60).toString()));
    WebElement bands = wait.until(d -> d.findElement(By.id("state-bands")));
    long from = Long.parseLong(bands.getDomAttribute("data-from"));
    long to = Long.parseLong(bands.getDomAttribute("data-to"));

    // drag from the middle of the time axis to three quarters of it
    int width = bands.getRect().getWidth();
    double x0 = Double.parseDouble(bands.getDomAttribute("data-x0")) / 1100 * width;
    double plot = Double.parseDouble(bands.getDomAttribute("data-plot")) / 1100 * width;
    int start = (int) (x0 + plot / 2 - width / 2.0);
    new Actions(driver).moveToElement(bands, start, 0).clickAndHold().moveByOffset((int) (plot / 4), 0).release()
        .perform();

    wait.until(d -> d.getCurrentUrl().contains("from="));
    WebElement zoomed = wait.until(d -> d.findElement(By.id("state-bands")));
    long zFrom = Long.parseLong(zoomed.getDomAttribute("data-from"));
    long zTo = Long.parseLong(zoomed.getDomAttribute("data-to"));
    long span = to - from;
    assertThat(zFrom).as("the selection's start, near the middle").isBetween(from + span * 2 / 5, from + span * 3 / 5);
    assertThat(zTo - zFrom).as("a quarter of the range").isBetween(span / 5, span * 3 / 10);
    assertThat(driver.findElements(By.cssSelector("svg#state-bands rect.band"))).as("the state bands").isNotEmpty();
    assertThat(driver.findElements(By.cssSelector("svg#rates"))).as("the RX/TX plot").isNotEmpty();
    assertThat(driver.findElements(By.cssSelector("#events"))).isNotEmpty();
    assertThat(driver.findElement(By.id("download")).getDomAttribute("href")).contains("from=").endsWith("download=1");
    screenshot("console-link-zoomed.png");
    assertThat(chromium.consoleErrors()).isEmpty();
  }
}
