package io.spanlog.discovery.projection;

import io.spanlog.events.Envelope;

/** Folds events into a projection without a Kafka consumer, for unit tests in other packages. */
public final class ProjectionFixture {
  private ProjectionFixture() {}

  public static void fold(ClusterProjection projection, int partition, long offset, Envelope event) {
    projection.apply(partition, offset, event);
  }
}
