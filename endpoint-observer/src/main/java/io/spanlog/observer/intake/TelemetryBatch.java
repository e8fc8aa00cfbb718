package io.spanlog.observer.intake;

import io.spanlog.events.HandshakeSampleBatch;
import java.time.Instant;
import java.util.Objects;

/**
 * One node's readable handshake-sample batch, as the observer works on it: whatever form it
 * travelled in (plaintext today, sealed later), this is what comes out of a {@link BatchOpener}.
 *
 * @param clusterId the cluster the batch belongs to
 * @param arrivedAt when the discovery service appended it (the envelope's {@code at}): the clock
 *     silence is judged on
 * @param sampledAt when the agent took the samples: the event time of everything derived
 * @param batch the samples
 */
public record TelemetryBatch(
    String clusterId, Instant arrivedAt, Instant sampledAt, HandshakeSampleBatch batch) {
  public TelemetryBatch {
    Objects.requireNonNull(clusterId, "clusterId");
    Objects.requireNonNull(arrivedAt, "arrivedAt");
    Objects.requireNonNull(sampledAt, "sampledAt");
    Objects.requireNonNull(batch, "batch");
  }
}
