package io.spanlog.observer.metrics;

/**
 * Traffic between two readings of a link's WireGuard counters. A counter lower than before was
 * reset (agent or device restarted, peer removed and re-added): its new value is the traffic
 * since the reset, counted from zero, so traffic is never negative.
 *
 * @param rxBytes bytes received between the readings
 * @param txBytes bytes sent between the readings
 * @param reset whether either counter had gone backwards
 */
public record CounterDelta(long rxBytes, long txBytes, boolean reset) {
  public static final CounterDelta NONE = new CounterDelta(0, 0, false);

  public static CounterDelta between(long rxBefore, long txBefore, long rx, long tx) {
    boolean rxReset = rx < rxBefore;
    boolean txReset = tx < txBefore;
    return new CounterDelta(
        rxReset ? Math.max(0, rx) : rx - rxBefore,
        txReset ? Math.max(0, tx) : tx - txBefore,
        rxReset || txReset);
  }
}
