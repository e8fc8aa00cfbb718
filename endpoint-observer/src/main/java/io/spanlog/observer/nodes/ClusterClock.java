package io.spanlog.observer.nodes;

import java.time.Instant;
import java.util.Objects;

/**
 * A cluster's own clocks, advanced only by its batches: the latest sample time (for windows) and
 * the latest append time (for silence). Judging each cluster on its own clocks makes its derived
 * events independent of which other clusters share its partition, and of wall-clock time, so a
 * replay yields the same events. The value of the {@code observer.cluster-clocks} store.
 *
 * @param latestSampledAt the latest sample time of any batch of the cluster
 * @param latestArrivedAt the latest append time of any batch of the cluster
 * @param nextSilenceCheck the append time from which its nodes are next checked for silence
 */
public record ClusterClock(Instant latestSampledAt, Instant latestArrivedAt, Instant nextSilenceCheck) {
  public ClusterClock {
    Objects.requireNonNull(latestSampledAt, "latestSampledAt");
    Objects.requireNonNull(latestArrivedAt, "latestArrivedAt");
    Objects.requireNonNull(nextSilenceCheck, "nextSilenceCheck");
  }

  /** A cluster's clock at its first batch. */
  public static ClusterClock start(Instant sampledAt, Instant arrivedAt) {
    return new ClusterClock(sampledAt, arrivedAt, arrivedAt);
  }

  /** The clock after one more batch: clocks never go back. */
  public ClusterClock advance(Instant sampledAt, Instant arrivedAt) {
    return new ClusterClock(
        max(latestSampledAt, sampledAt), max(latestArrivedAt, arrivedAt), nextSilenceCheck);
  }

  public boolean silenceCheckDue() {
    return !latestArrivedAt.isBefore(nextSilenceCheck);
  }

  public ClusterClock withNextSilenceCheck(Instant t) {
    return new ClusterClock(latestSampledAt, latestArrivedAt, t);
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
