package io.spanlog.observer.reachability;

import io.spanlog.events.PeerState;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One cell of a cluster's reachability matrix: how a node sees a peer, and since when. The value
 * of the {@code observer.reachability} store, whose keys (cluster, node, peer) make a cluster's
 * whole matrix one prefix scan.
 *
 * @param nodeId the observing node's affiliate id (row)
 * @param peerLabel the peer's node name, as the observing node labels it (column)
 * @param state the link's current state
 * @param since the first sample in {@code state}
 * @param asymmetricSince when this direction was reported {@code up} against a peer that does not
 *     see the node up: since when the two disagree; empty when not reported
 */
public record ReachabilityCell(
    String nodeId, String peerLabel, PeerState state, Instant since,
    Optional<Instant> asymmetricSince) {
  public ReachabilityCell {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(peerLabel, "peerLabel");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(asymmetricSince, "asymmetricSince");
  }

  public ReachabilityCell withAsymmetricSince(Optional<Instant> t) {
    return new ReachabilityCell(nodeId, peerLabel, state, since, t);
  }
}
