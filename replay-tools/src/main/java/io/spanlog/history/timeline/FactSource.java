package io.spanlog.history.timeline;

/** Where the timeline took a kind of fact from. */
public enum FactSource {
  /** The endpoint observer's output ({@code spanlog.link.events}, {@code spanlog.link.metrics}). */
  OBSERVER,
  /** The raw handshake samples the observing node sent ({@code spanlog.telemetry}). */
  SAMPLES,
  /** Neither: the log holds nothing of this kind for the link in the range. */
  NONE
}
