package io.spanlog.observer;

import io.spanlog.events.Envelope;
import java.util.Objects;

/** One event the observer derived, and the output it belongs on. */
public record Derived(Output output, Envelope envelope) {
  /** The observer's outputs. */
  public enum Output {
    /** Link and node events and reachability deltas ({@code spanlog.link.events}). */
    LINK_EVENTS,
    /** Metric windows ({@code spanlog.link.metrics}). */
    LINK_METRICS
  }

  public Derived {
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(envelope, "envelope");
  }
}
