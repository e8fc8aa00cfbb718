package io.spanlog.observer;

import io.spanlog.observer.intake.TelemetryBatch;

/**
 * What the running topology tells whoever watches it (the service's metrics). Called on stream
 * threads, several at once, so implementations are thread-safe. Under exactly-once a record
 * retried after a crash is told again: these are counts of work done, not of results.
 */
public interface ObserverEvents {
  /** Nothing is watching. */
  ObserverEvents NONE = new ObserverEvents() {};

  /** A readable batch was observed. */
  default void onBatch(TelemetryBatch batch) {}

  /**
   * A telemetry record went to the dead-letter topic.
   *
   * @param clusterId the record's key as text (who sent it claims this cluster), or empty
   * @param problem the short constant saying why, e.g. {@code NOT_A_BATCH}
   */
  default void onDeadLettered(String clusterId, String problem) {}

  /** The observer derived an event (a link event or a metric window). */
  default void onDerived(Derived derived) {}
}
