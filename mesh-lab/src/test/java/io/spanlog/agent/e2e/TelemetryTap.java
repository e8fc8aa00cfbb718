package io.spanlog.agent.e2e;

import io.spanlog.events.HandshakeSampleBatch;
import io.spanlog.infra.testing.EnvelopeTap;
import io.spanlog.infra.testing.KafkaFixture;
import java.time.Instant;
import java.util.List;

/** Reads the telemetry topic in the background: every handshake-sample batch, with its time. */
final class TelemetryTap implements AutoCloseable {
  /** One batch as appended: when (event time) and what. */
  record Batch(Instant at, HandshakeSampleBatch batch) {}

  private final EnvelopeTap tap;

  TelemetryTap(String topic) {
    tap = new EnvelopeTap(KafkaFixture.shared().bootstrapServers(), topic);
  }

  List<Batch> batches() {
    return tap.envelopes().stream()
        .filter(e -> e.payload() instanceof HandshakeSampleBatch)
        .map(e -> new Batch(e.at(), (HandshakeSampleBatch) e.payload()))
        .toList();
  }

  @Override
  public void close() {
    tap.close();
  }
}
