package io.spanlog.history.timeline;

import java.time.Instant;
import java.util.Objects;

/** RX and TX of the link over one stretch of time (an observer window, or between two samples). */
public record RatePoint(Instant from, Instant to, double rxBytesPerSecond, double txBytesPerSecond) {
  public RatePoint {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
  }

  /** The middle of the stretch, where a plot puts the point. */
  public Instant middle() {
    return from.plusMillis(java.time.Duration.between(from, to).toMillis() / 2);
  }
}
