package io.spanlog.observer.metrics;

import io.spanlog.events.LinkMetricsWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Tumbling windows of sample time, aligned to the epoch, closed when the cluster's sample time
 * has passed their end plus the grace period.
 */
public final class MetricWindows {
  private final long sizeMillis;
  private final Duration size;
  private final Duration grace;

  public MetricWindows(Duration size, Duration grace) {
    this.size = size;
    this.sizeMillis = size.toMillis();
    this.grace = grace;
  }

  public Instant windowStart(Instant t) {
    return Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), sizeMillis) * sizeMillis);
  }

  /** Whether the window starting at {@code start} is closed at cluster sample time {@code now}. */
  public boolean closed(Instant start, Instant now) {
    return !start.plus(size).plus(grace).isAfter(now);
  }

  /**
   * The start of the latest window closed at {@code now}: every window starting at or before it
   * is closed. Changes only when a window boundary is crossed, so a caller flushes only then.
   */
  public Instant closedUpTo(Instant now) {
    return windowStart(now.minus(grace).minus(size));
  }

  /** The window's event, or empty when it is idle. */
  public Optional<LinkMetricsWindow> toEvent(WindowKey key, WindowTally t) {
    if (t.idle()) {
      return Optional.empty();
    }
    double seconds = sizeMillis / 1000.0;
    return Optional.of(
        new LinkMetricsWindow(
            t.nodeId(),
            key.link().nodePublicKey(),
            key.link().peerPublicKey(),
            t.peerLabel(),
            key.windowStart(),
            key.windowStart().plus(size),
            t.rxBytes(),
            t.txBytes(),
            t.rxBytes() / seconds,
            t.txBytes() / seconds,
            t.samples(),
            t.counterResets(),
            t.lateDropped()));
  }
}
