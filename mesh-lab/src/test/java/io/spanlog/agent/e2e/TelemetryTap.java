package io.spanlog.agent.e2e;

import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.events.HandshakeSampleBatch;
import io.spanlog.events.SealedSampleBatch;
import io.spanlog.infra.testing.EnvelopeTap;
import io.spanlog.telemetry.Opening;
import io.spanlog.telemetry.TelemetrySeal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Reads the telemetry topic in the background: every handshake-sample batch, with its time,
 * opened with the cluster secret (agents seal them; a batch that does not open is left out).
 */
final class TelemetryTap implements AutoCloseable {
  /** One batch as appended: when (event time) and what. */
  record Batch(Instant at, HandshakeSampleBatch batch) {}

  private final EnvelopeTap tap;
  private final TelemetrySeal seal;

  TelemetryTap(String bootstrapServers, String topic, ClusterSecret secret) {
    tap = new EnvelopeTap(bootstrapServers, topic);
    seal = new TelemetrySeal(secret);
  }

  List<Batch> batches() {
    return tap.envelopes().stream()
        .flatMap(e -> opened(e.clusterId(), e.payload()).map(b -> new Batch(e.at(), b)).stream())
        .toList();
  }

  private Optional<HandshakeSampleBatch> opened(String clusterId, Object payload) {
    if (payload instanceof HandshakeSampleBatch plain) {
      return Optional.of(plain);
    }
    if (payload instanceof SealedSampleBatch sealed && seal.open(clusterId, sealed) instanceof Opening.Opened o) {
      return Optional.of(o.batch());
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    tap.close();
  }
}
