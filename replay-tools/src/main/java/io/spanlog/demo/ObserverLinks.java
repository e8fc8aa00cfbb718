package io.spanlog.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Whether the observer's {@code /v1/links} answer shows the whole mesh as the demo waits for it. */
final class ObserverLinks {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ObserverLinks() {}

  /**
   * What is still missing from {@code body} (the read API's links of a cluster): empty when it
   * lists {@code expected} links, all up, and, when {@code ratesSince} is given, each with RX and
   * TX rates above zero from a window that started at or after it (when traffic started: earlier
   * windows hold handshakes only).
   */
  static String missing(String body, int expected, Optional<Instant> ratesSince) throws IOException {
    JsonNode links = JSON.readTree(body).path("links");
    List<String> wanting = new ArrayList<>();
    for (JsonNode l : links) {
      String name = l.path("nodeName").asText() + "->" + l.path("peerName").asText();
      if (!l.path("state").asText().equals("up")) {
        wanting.add(name + " " + l.path("state").asText());
      } else if (ratesSince.isPresent() && !(l.path("rxBytesPerSecond").asDouble(0) > 0
          && l.path("txBytesPerSecond").asDouble(0) > 0 && l.path("rateWindowStart").isTextual()
          && !Instant.parse(l.path("rateWindowStart").asText()).isBefore(ratesSince.get()))) {
        wanting.add(name + " without RX/TX rates of the traffic yet");
      }
    }
    if (links.size() < expected) {
      wanting.add(0, links.size() + " of " + expected + " links listed");
    }
    return String.join(", ", wanting);
  }
}
