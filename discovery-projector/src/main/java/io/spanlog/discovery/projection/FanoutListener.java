package io.spanlog.discovery.projection;

import io.spanlog.discovery.api.WatchResponse;

/**
 * Where the time of one Watch change goes inside the service: when the projection applied the
 * event and when the last of its streams' writes completed (handed to the socket). Times are
 * {@link System#nanoTime()}. The service's metrics record it; a benchmark adds its own.
 *
 * <p>Called on a Vert.x event loop: keep it short. A stream that ends before its write completes
 * never counts, so a change whose streams all went away is not reported.
 */
@FunctionalInterface
public interface FanoutListener {
  /** Nobody listens: changes are not timed at all. */
  FanoutListener NONE = (change, streams, appliedNanos, lastWrittenNanos) -> {};

  void delivered(WatchResponse change, int streams, long appliedNanos, long lastWrittenNanos);

  /** This listener, then {@code next}; {@link #NONE} drops out. */
  default FanoutListener andThen(FanoutListener next) {
    if (next == NONE) {
      return this;
    }
    if (this == NONE) {
      return next;
    }
    return (change, streams, applied, lastWritten) -> {
      delivered(change, streams, applied, lastWritten);
      next.delivered(change, streams, applied, lastWritten);
    };
  }
}
