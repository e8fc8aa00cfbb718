package io.spanlog.telemetry;

import io.spanlog.events.HandshakeSampleBatch;
import java.util.Objects;

/** What opening a sealed batch gave: the batch, or why not. Nothing a sender does makes it throw. */
public sealed interface Opening {

  record Opened(HandshakeSampleBatch batch) implements Opening {
    public Opened {
      Objects.requireNonNull(batch, "batch");
    }
  }

  /**
   * @param reason one sentence for an operator: never key material, never the batch's content
   */
  record Refused(SealProblem problem, String reason) implements Opening {
    public Refused {
      Objects.requireNonNull(problem, "problem");
      Objects.requireNonNull(reason, "reason");
    }
  }
}
