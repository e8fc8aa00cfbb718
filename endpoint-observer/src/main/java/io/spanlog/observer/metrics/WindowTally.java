package io.spanlog.observer.metrics;

import java.util.Objects;

/**
 * One open metric window of one link, as it fills.
 *
 * @param nodeId the observing node's affiliate id
 * @param peerLabel the peer's node name
 * @param rxBytes bytes received so far in the window
 * @param txBytes bytes sent so far
 * @param samples samples counted
 * @param counterResets counted samples whose counters had gone backwards
 * @param lateDropped samples of the link dropped as too late while this was the cluster's
 *     current window
 */
public record WindowTally(
    String nodeId, String peerLabel, long rxBytes, long txBytes, int samples, int counterResets,
    long lateDropped) {
  public WindowTally {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(peerLabel, "peerLabel");
  }

  public static WindowTally empty(String nodeId, String peerLabel) {
    return new WindowTally(nodeId, peerLabel, 0, 0, 0, 0, 0);
  }

  public WindowTally add(CounterDelta d) {
    return new WindowTally(nodeId, peerLabel, rxBytes + d.rxBytes(), txBytes + d.txBytes(),
        samples + 1, counterResets + (d.reset() ? 1 : 0), lateDropped);
  }

  public WindowTally dropped() {
    return new WindowTally(nodeId, peerLabel, rxBytes, txBytes, samples, counterResets,
        lateDropped + 1);
  }

  /** No traffic either way and nothing dropped: not written. */
  public boolean idle() {
    return rxBytes == 0 && txBytes == 0 && lateDropped == 0;
  }
}
