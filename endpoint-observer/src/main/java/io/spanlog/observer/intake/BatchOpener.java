package io.spanlog.observer.intake;

import io.spanlog.events.Envelope;
import java.util.Objects;

/**
 * The first step of the observer: turns one decoded telemetry event into a readable batch, or
 * says why it cannot. One implementation per way batches travel; the topology takes one.
 */
@FunctionalInterface
public interface BatchOpener {

  Result open(Envelope envelope);

  /** What opening gave. */
  sealed interface Result permits Opened, Refused {}

  /** A readable batch. */
  record Opened(TelemetryBatch batch) implements Result {
    public Opened {
      Objects.requireNonNull(batch, "batch");
    }
  }

  /**
   * Not a batch this opener can read: it goes to the dead-letter topic with the reason.
   *
   * @param problem a short constant, e.g. {@code NOT_A_BATCH}, for counting by reason
   * @param reason one sentence for an operator; never carries secrets or the record's content
   */
  record Refused(String problem, String reason) implements Result {
    public Refused {
      Objects.requireNonNull(problem, "problem");
      Objects.requireNonNull(reason, "reason");
    }
  }
}
