package io.spanlog.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ObserverLinksTest {
  private static final Instant TRAFFIC = Instant.parse("2026-11-27T16:00:00Z");

  private static String link(String node, String peer, String state, String rx, String tx, String window) {
    return "{\"nodeName\":\"" + node + "\",\"peerName\":\"" + peer + "\",\"state\":\"" + state
        + "\",\"rxBytesPerSecond\":" + rx + ",\"txBytesPerSecond\":" + tx + ",\"rateWindowStart\":"
        + (window == null ? "null" : "\"" + window + "\"") + "}";
  }

  @Test
  void theMeshIsObservedWhenEveryLinkIsListedUpWithRatesOfTheTraffic() throws Exception {
    String body = "{\"links\":[" + link("node-1", "node-2", "up", "5000", "5100", "2026-11-27T16:00:05Z") + ","
        + link("node-2", "node-1", "up", "5100", "5000", "2026-11-27T16:00:00Z") + "]}";
    assertThat(ObserverLinks.missing(body, 2, Optional.of(TRAFFIC))).isEmpty();
  }

  @Test
  void saysWhatIsMissing() throws Exception {
    String body = "{\"links\":[" + link("node-1", "node-2", "up", "null", "null", null) + ","
        + link("node-2", "node-1", "unknown", "null", "null", null) + "]}";
    assertThat(ObserverLinks.missing(body, 6, Optional.of(TRAFFIC)))
        .isEqualTo("2 of 6 links listed, node-1->node-2 without RX/TX rates of the traffic yet, node-2->node-1 unknown");
    assertThat(ObserverLinks.missing(body, 2, Optional.empty())).isEqualTo("node-2->node-1 unknown");
  }

  @Test
  void aWindowFromBeforeTheTrafficHoldsHandshakesOnly() throws Exception {
    String body = "{\"links\":[" + link("node-1", "node-2", "up", "25", "36", "2026-11-27T15:59:55Z") + "]}";
    assertThat(ObserverLinks.missing(body, 1, Optional.of(TRAFFIC)))
        .isEqualTo("node-1->node-2 without RX/TX rates of the traffic yet");
  }
}
