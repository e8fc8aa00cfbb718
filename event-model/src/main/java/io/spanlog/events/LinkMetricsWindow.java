package io.spanlog.events;

import java.time.Instant;
import java.util.Objects;

/**
 * RX and TX of one link in one tumbling window of sample time (one minute by default), from the
 * WireGuard counter deltas of its samples. A counter that went backwards (agent restart, peer
 * removed and re-added) is a reset: the new value counts from zero, traffic is never negative.
 * Windows without bytes either way are not written.
 *
 * <p>Written to {@code spanlog.link.metrics} once the window is closed: when the cluster's sample
 * time has passed its end plus the grace period. Samples arriving later than that are not
 * counted in their window; they are counted in {@code lateDropped} of the next window written
 * for the link.
 *
 * @param nodeId the observing node's affiliate id
 * @param nodePublicKey the observing node
 * @param peerPublicKey the peer
 * @param peerLabel the peer's node name, as the observing node labels it
 * @param windowStart inclusive
 * @param windowEnd exclusive
 * @param rxBytes bytes received from the peer in the window
 * @param txBytes bytes sent to the peer in the window
 * @param rxBytesPerSecond {@code rxBytes} over the window's length
 * @param txBytesPerSecond {@code txBytes} over the window's length
 * @param samples samples counted in the window
 * @param counterResets samples in the window whose counter had gone backwards
 * @param lateDropped samples of this link that arrived after their window had closed, since the
 *     previous window written for the link
 */
public record LinkMetricsWindow(
    String nodeId,
    String nodePublicKey,
    String peerPublicKey,
    String peerLabel,
    Instant windowStart,
    Instant windowEnd,
    long rxBytes,
    long txBytes,
    double rxBytesPerSecond,
    double txBytesPerSecond,
    int samples,
    int counterResets,
    long lateDropped)
    implements Event {
  public LinkMetricsWindow {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(nodePublicKey, "nodePublicKey");
    Objects.requireNonNull(peerPublicKey, "peerPublicKey");
    Objects.requireNonNull(peerLabel, "peerLabel");
    Objects.requireNonNull(windowStart, "windowStart");
    Objects.requireNonNull(windowEnd, "windowEnd");
  }
}
