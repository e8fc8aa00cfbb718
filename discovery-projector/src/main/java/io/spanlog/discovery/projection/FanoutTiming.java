package io.spanlog.discovery.projection;

import io.spanlog.discovery.api.WatchResponse;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts one change's stream writes down to the last and tells the {@link FanoutListener}. */
final class FanoutTiming {
  static final FanoutTiming OFF = new FanoutTiming(null, null, 0);

  private final FanoutListener listener;
  private final WatchResponse change;
  private final int streams;
  private final long appliedNanos = System.nanoTime();
  private final AtomicInteger left;

  private FanoutTiming(FanoutListener listener, WatchResponse change, int streams) {
    this.listener = listener;
    this.change = change;
    this.streams = streams;
    this.left = new AtomicInteger(streams);
  }

  static FanoutTiming of(FanoutListener listener, WatchResponse change, int streams) {
    return listener == FanoutListener.NONE ? OFF : new FanoutTiming(listener, change, streams);
  }

  boolean traced() {
    return listener != null;
  }

  /** One stream's write completed; a stream that ends before its write never counts down. */
  void written() {
    if (left.decrementAndGet() == 0) {
      listener.delivered(change, streams, appliedNanos, System.nanoTime());
    }
  }
}
