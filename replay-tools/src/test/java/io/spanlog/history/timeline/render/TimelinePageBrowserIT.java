package io.spanlog.history.timeline.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.history.timeline.IncidentTimelines;
import io.spanlog.history.timeline.LinkTimeline;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The timeline's HTML page in a real headless Chromium: it renders with no console error, draws
 * the state bands (up, down, up again), the endpoint changes and the RX/TX plot, and lists every
 * event. Screenshots are kept as build artifacts in {@code replay-tools/target/screenshots/}.
 */
class TimelinePageBrowserIT {
  static final Path OUT = Path.of("target", "screenshots");

  private static Path write(String name, String html) throws Exception {
    Files.createDirectories(OUT);
    Path file = OUT.resolve(name).toAbsolutePath();
    Files.writeString(file, html, StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void thePageDrawsTheBandsThePlotAndTheEventsWithNoConsoleError() throws Exception {
    LinkTimeline tl = IncidentTimelines.incident();
    Path page = write("link-timeline.html", new TimelineRenderer().page(tl));

    try (HeadlessChromium chromium = HeadlessChromium.start(1280, 1700)) {
      chromium.driver.get(page.toUri().toString());

      assertThat(chromium.driver.getTitle()).isEqualTo("Spanlog link timeline: node-1 \u2192 node-2 (cluster-a)");
      WebElement bands = chromium.driver.findElement(By.cssSelector("svg#state-bands"));
      assertThat(bands.getRect().getWidth()).isGreaterThan(800);
      List<String> states = bands.findElements(By.cssSelector("rect.band")).stream()
          .map(e -> e.getAttribute("class")).toList();
      assertThat(states).containsExactly("band state-up", "band state-down", "band state-up");
      WebElement down = bands.findElement(By.cssSelector("rect.band.state-down"));
      assertThat(down.getRect().getWidth()).isGreaterThan(10);
      assertThat(down.getCssValue("fill")).isEqualTo("rgb(217, 70, 62)"); // the CSS applied
      assertThat(bands.findElements(By.cssSelector("line.endpoint-change"))).hasSize(2);
      assertThat(bands.findElements(By.cssSelector("rect.presence.cannot-reach-discovery"))).hasSize(1);

      WebElement rates = chromium.driver.findElement(By.cssSelector("svg#rates"));
      for (String series : List.of("rx", "tx")) {
        WebElement line = rates.findElement(By.cssSelector("polyline.rate." + series));
        assertThat(line.getAttribute("points").split(" ")).hasSize(tl.rates().size());
        assertThat(line.getRect().getWidth()).isGreaterThan(500);
      }
      assertThat(chromium.driver.findElements(By.cssSelector("table#events tbody tr"))).hasSize(tl.entries().size());
      assertThat(chromium.driver.findElement(By.cssSelector("table#events")).getText())
          .contains("198.51.100.2:40000 (harvested, candidate 2 of 2)");

      chromium.screenshot(OUT.resolve("link-timeline.png"));
      assertThat(chromium.consoleErrors()).isEmpty();
    }
    assertThat(OUT.resolve("link-timeline.png")).isNotEmptyFile();
  }

  @Test
  void namesWithMarkupAreShownAsTextNotRun() throws Exception {
    LinkTimeline tl = IncidentTimelines.withPeerNamed("<img src=x onerror=\"document.title='owned'\">node-2");
    Path page = write("link-timeline-hostile-name.html", new TimelineRenderer().page(tl));

    try (HeadlessChromium chromium = HeadlessChromium.start(1280, 900)) {
      chromium.driver.get(page.toUri().toString());

      // had the onerror handler run, the title would be just "owned"
      assertThat(chromium.driver.getTitle()).startsWith("Spanlog link timeline: node-1 \u2192 <img src=x");
      assertThat(chromium.driver.findElements(By.tagName("img"))).isEmpty();
      assertThat(chromium.driver.findElement(By.tagName("h1")).getText()).contains("<img src=x");
      chromium.screenshot(OUT.resolve("link-timeline-hostile-name.png"));
      assertThat(chromium.consoleErrors()).isEmpty(); // an <img src=x> that ran would fail to load
    }
  }
}
