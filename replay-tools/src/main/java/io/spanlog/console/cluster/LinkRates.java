package io.spanlog.console.cluster;

import io.spanlog.events.LinkMetricsWindow;
import io.spanlog.history.read.LogReader;
import io.spanlog.history.read.Scan;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Each link's RX/TX rates at an instant, from the endpoint observer's per-minute windows on the
 * link metrics topic: the window holding the instant, else the latest one before it. A window is
 * written (record time = its end) once the observer's grace after it has passed, and only when
 * the link had traffic, so the read covers {@link #LOOKBACK} before the instant (the default
 * window, its grace and a reconcile, with room) and {@link #LOOKAHEAD} after it (a window holding
 * the instant ends at most one window later). A link without a window there has no rate.
 */
public final class LinkRates {
  public static final Duration LOOKBACK = Duration.ofMinutes(5);
  public static final Duration LOOKAHEAD = Duration.ofMinutes(1);

  /** One link's rates, in bytes per second, over [from, to). */
  public record Rate(double rxPerSecond, double txPerSecond, Instant from, Instant to) {}

  private LinkRates() {}

  /**
   * @return by "nodePublicKey→peerPublicKey"
   * @throws IllegalStateException when the topic does not exist
   */
  public static Map<String, Rate> at(LogReader reader, String metricsTopic, String cluster, Instant at) {
    Map<String, Rate> rates = new HashMap<>();
    reader.read(Scan.of(metricsTopic).cluster(cluster).from(at.minus(LOOKBACK)).to(at.plus(LOOKAHEAD)), rec -> {
      if (rec.envelope().payload() instanceof LinkMetricsWindow w && !w.windowStart().isAfter(at)) {
        rates.merge(w.nodePublicKey() + "→" + w.peerPublicKey(),
            new Rate(w.rxBytesPerSecond(), w.txBytesPerSecond(), w.windowStart(), w.windowEnd()),
            (old, now) -> now.from().isAfter(old.from()) ? now : old);
      }
    });
    return rates;
  }
}
