package io.spanlog.events;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One cell of a cluster's reachability matrix (ordered pair node → peer) changed: a delta, since
 * the whole matrix of a large cluster (a million cells at 1,000 nodes) is a query, not an event.
 * A cell appears at the first sample of a link, changes with its state, and disappears when the
 * node's batch no longer lists the peer.
 *
 * @param nodeId the observing node's affiliate id
 * @param nodePublicKey the observing node (row)
 * @param peerPublicKey the peer (column)
 * @param peerLabel the peer's node name, as the observing node labels it
 * @param previous the cell's state before; empty when the cell is new
 * @param state the cell's state now; empty when the cell was removed
 * @param since the first sample in {@code state}, or the sample that removed the cell
 */
public record ReachabilityChanged(
    String nodeId,
    String nodePublicKey,
    String peerPublicKey,
    String peerLabel,
    Optional<PeerState> previous,
    Optional<PeerState> state,
    Instant since)
    implements Event {
  public ReachabilityChanged {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(nodePublicKey, "nodePublicKey");
    Objects.requireNonNull(peerPublicKey, "peerPublicKey");
    Objects.requireNonNull(peerLabel, "peerLabel");
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(since, "since");
  }
}
