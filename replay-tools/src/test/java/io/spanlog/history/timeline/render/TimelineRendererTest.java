package io.spanlog.history.timeline.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.history.timeline.IncidentTimelines;
import io.spanlog.history.timeline.LinkTimeline;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TimelineRendererTest {
  private final TimelineRenderer renderer = new TimelineRenderer();

  @Test
  void thePageIsSelfContained() {
    String page = renderer.page(IncidentTimelines.incident());

    // the only URLs are the SVG namespace (an identifier, never fetched) and the empty data: icon
    assertThat(Pattern.compile("(https?:)?//[^\"' ]+").matcher(page).results().map(m -> m.group())
        .filter(u -> !u.equals("http://www.w3.org/2000/svg")).toList()).isEmpty();
    assertThat(page).doesNotContain("<script", "<link rel=\"stylesheet\"", "@import", "url(");
    assertThat(page).contains("<style>", "<svg id=\"state-bands\"", "<svg id=\"rates\"", "<table id=\"events\"");
  }

  @Test
  void bandsFollowTheStatesAndMarkTheEndpointChanges() {
    LinkTimeline tl = IncidentTimelines.incident();
    String svg = renderer.stateBandsSvg(tl);

    assertThat(Pattern.compile("class=\"band state-(\\w+)\"").matcher(svg).results().map(m -> m.group(1)).toList())
        .containsExactly("up", "down", "up");
    assertThat(svg).contains("\u2192 198.51.100.2:40000 (harvested, 2/2)");
    assertThat(Pattern.compile("class=\"endpoint-change\"").matcher(svg).results().count()).isEqualTo(2);
    // the down band starts where the link went down: 390 s of the 900.2 s range, on 930 px from x=150
    assertThat(svg).containsPattern("class=\"band state-down\" x=\"552\\.[0-9]\"");
  }

  @Test
  void theRatesArePlottedInTimeOrder() {
    LinkTimeline tl = IncidentTimelines.incident();
    String svg = renderer.ratesSvg(tl);

    var points = Pattern.compile("<polyline class=\"rate rx\" points=\"([^\"]+)\"").matcher(svg).results()
        .map(m -> m.group(1)).findFirst().orElseThrow().split(" ");
    assertThat(points).hasSize(tl.rates().size());
    double previous = -1;
    for (String p : points) {
      double x = Double.parseDouble(p.split(",")[0]);
      assertThat(x).isGreaterThan(previous);
      previous = x;
    }
    assertThat(svg).contains("polyline class=\"rate tx\"", "RX (bytes/s received from node-2)");
  }

  @Test
  void everyTextFromTheLogIsEscaped() {
    String name = "<img src=x onerror=alert(1)>\u202Eevil";
    String page = renderer.page(IncidentTimelines.withPeerNamed(name));

    assertThat(page).doesNotContain("<img").contains("&lt;img src=x onerror=alert(1)&gt;\\u202eevil");
  }

  @Test
  void htmlEscapesMarkupQuotesAndControls() {
    assertThat(Html.escape("a<b>&\"c'\n")).isEqualTo("a&lt;b&gt;&amp;&quot;c&#39;\\x0a");
    assertThat(Html.escape(null)).isEmpty();
  }
}
