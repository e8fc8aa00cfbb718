package io.spanlog.observer.nodes;

import static io.spanlog.observer.Fleet.A;
import static io.spanlog.observer.Fleet.batch;
import static io.spanlog.observer.Fleet.t;
import static io.spanlog.observer.Fleet.telemetry;
import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.events.NodeReportingAgain;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NodePresenceTest {
  final NodePresence presence = new NodePresence(Duration.ofSeconds(90));

  @Test
  void aNodeIsSilentOnlyOnceItsSilenceIsLongerThanTheThreshold() {
    NodeRecord a = presence.onBatch(Optional.empty(), telemetry(batch(A, t(0)), t(1))).next();

    assertThat(presence.check("node-a", a, t(91))).isEmpty();
    assertThat(presence.check("node-a", a, t(92))).get().satisfies(s -> {
      assertThat(s.lastArrivedAt()).isEqualTo(t(1));
      assertThat(s.lastSampledAt()).isEqualTo(t(0));
      assertThat(s.detectedAt()).isEqualTo(t(92));
    });
    assertThat(presence.check("node-a", a.asSilent(), t(500))).isEmpty();
  }

  @Test
  void itsFirstBatchBackShowsBothGaps() {
    NodeRecord silent =
        presence.onBatch(Optional.empty(), telemetry(batch(A, t(0)), t(0))).next().asSilent();

    NodePresence.Step back = presence.onBatch(Optional.of(silent), telemetry(batch(A, t(30)), t(600)));

    NodeReportingAgain r = back.back().orElseThrow();
    assertThat(r.unheardFor()).isEqualTo(Duration.ofSeconds(600));
    assertThat(r.sampleGap()).isEqualTo(Duration.ofSeconds(30));
    assertThat(back.next().silent()).isFalse();
    assertThat(presence.onBatch(Optional.of(back.next()), telemetry(batch(A, t(60)), t(600))).back())
        .isEmpty();
  }
}
