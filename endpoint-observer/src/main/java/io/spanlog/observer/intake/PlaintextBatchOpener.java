package io.spanlog.observer.intake;

import io.spanlog.events.Envelope;
import io.spanlog.events.EventType;
import io.spanlog.events.HandshakeSampleBatch;

/**
 * Opens the plaintext {@code handshake.sample-batch} events agents send today; a batch without
 * its own sample time (written before agents sent one) is taken as sampled when appended.
 */
public final class PlaintextBatchOpener implements BatchOpener {
  public static final String NOT_A_BATCH = "NOT_A_BATCH";

  @Override
  public Result open(Envelope envelope) {
    if (!(envelope.payload() instanceof HandshakeSampleBatch batch)) {
      return new Refused(
          NOT_A_BATCH,
          "a " + envelope.type().wireName() + " event is not a telemetry batch (expected "
              + EventType.HANDSHAKE_SAMPLE_BATCH.wireName() + ")");
    }
    return new Opened(
        new TelemetryBatch(
            envelope.clusterId(), envelope.at(), batch.sampledAtOr(envelope.at()), batch));
  }
}
