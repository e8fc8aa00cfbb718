package io.spanlog.observer.intake;

import io.spanlog.events.Envelope;
import io.spanlog.events.EventCodec;
import io.spanlog.events.EventDecodingException;
import java.time.Duration;
import java.util.Objects;

/**
 * From raw telemetry record to readable batch: decode the envelope, open the batch, check the
 * sample time. Every way this can fail ends in a {@link BatchOpener.Refused} naming the problem,
 * so the topology can send the record to the dead-letter topic and go on.
 */
public final class Intake {
  /** The batch's sample time is too far after its append time (agent clock ahead). */
  public static final String SAMPLE_TIME_AHEAD = "SAMPLE_TIME_AHEAD";

  private final BatchOpener opener;
  private final Duration sampleTimeTolerance;

  public Intake(BatchOpener opener, Duration sampleTimeTolerance) {
    this.opener = Objects.requireNonNull(opener, "opener");
    this.sampleTimeTolerance = Objects.requireNonNull(sampleTimeTolerance, "sampleTimeTolerance");
  }

  public BatchOpener.Result read(byte[] value) {
    Envelope envelope;
    try {
      envelope = EventCodec.decode(value);
    } catch (EventDecodingException e) {
      return new BatchOpener.Refused(e.problem().name(), e.getMessage());
    }
    BatchOpener.Result result = opener.open(envelope);
    if (result instanceof BatchOpener.Opened opened) {
      TelemetryBatch b = opened.batch();
      Duration ahead = Duration.between(b.arrivedAt(), b.sampledAt());
      if (ahead.compareTo(sampleTimeTolerance) > 0) {
        return new BatchOpener.Refused(
            SAMPLE_TIME_AHEAD,
            "node " + b.batch().nodeId() + " sampled at " + b.sampledAt() + ", " + ahead.toSeconds()
                + " s after the batch was appended: its clock is ahead by more than "
                + sampleTimeTolerance.toSeconds() + " s");
      }
    }
    return result;
  }
}
