package io.spanlog.discovery.projection;

import io.spanlog.discovery.api.WatchResponse;

/**
 * Where the time of one Watch change goes inside the service, for benchmarks: when the projection
 * applied the event and when the last of its streams' writes completed (handed to the socket).
 * Times are {@link System#nanoTime()}. Called on a Vert.x event loop: keep it short.
 */
public interface FanoutListener {
  void delivered(WatchResponse change, int streams, long appliedNanos, long lastWrittenNanos);
}
