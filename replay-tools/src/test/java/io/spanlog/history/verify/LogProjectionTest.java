package io.spanlog.history.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.events.AffiliateDeleted;
import io.spanlog.events.AffiliateUpdated;
import io.spanlog.events.Blob;
import io.spanlog.events.Envelope;
import io.spanlog.events.EventCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The log's projection: the service's fold per cluster, poison skipped and counted, the window of states. */
class LogProjectionTest {
  private static final Instant T = Instant.parse("2026-11-27T03:12:00Z");

  private static byte[] update(String cluster, String affiliate, String data, Instant at) {
    return EventCodec.encode(Envelope.of(cluster, affiliate, at, "test",
        new AffiliateUpdated(affiliate, Optional.of(Blob.of(data.getBytes(StandardCharsets.UTF_8))), List.of(),
            Duration.ofMinutes(30), Optional.empty())));
  }

  private static byte[] delete(String cluster, String affiliate, Instant at) {
    return EventCodec.encode(Envelope.of(cluster, affiliate, at, "test", new AffiliateDeleted(affiliate, Optional.empty())));
  }

  @Test
  void foldsEachClusterApartAndSkipsWhatDoesNotDecode() {
    LogProjection log = new LogProjection();
    assertThat(log.apply(0, update("c1", "a", "one", T))).contains("c1");
    log.apply(1, update("c2", "b", "two", T));
    assertThat(log.apply(0, "not json".getBytes(StandardCharsets.UTF_8))).isEmpty();
    log.apply(0, update("c1", "a", "three", T.plusSeconds(1)));
    assertThat(log.state("c1").affiliate("a").orElseThrow().data().toByteArray()).asString().isEqualTo("three");
    assertThat(log.clusters()).containsExactly("c1", "c2");
    assertThat(log.partition(0)).containsOnlyKeys("c1");
    assertThat(log.skipped()).isEqualTo(1);
    assertThat(log.applied()).isEqualTo(3);
  }

  @Test
  void theWindowHoldsEveryStateSinceItOpened() {
    LogProjection log = new LogProjection();
    log.apply(0, update("c1", "a", "one", T));
    log.openWindow();
    assertThat(log.window("c1")).containsExactly(log.state("c1"));
    var before = log.state("c1");
    log.apply(0, delete("c1", "a", T.plusSeconds(1)));
    assertThat(log.window("c1")).hasSize(2).first().isEqualTo(before);
    assertThat(log.window("c1").get(1).isEmpty()).isTrue();
    assertThat(log.clusters()).as("a cluster emptied is still a cluster of the log").contains("c1");
  }
}
