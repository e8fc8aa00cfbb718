package io.spanlog.events;

import java.util.List;
import java.util.Objects;

/**
 * One node's view of all its peers after one reconcile.
 *
 * @param nodeId the reporting node's affiliate id
 * @param publicKey the reporting node's WireGuard public key
 * @param discoveryReachable whether the node's discovery service answered at its last attempt
 *     (a node cut off from discovery otherwise looks like a node that is alone)
 * @param peers one sample per peer in its device
 */
public record HandshakeSampleBatch(
    String nodeId, String publicKey, boolean discoveryReachable, List<PeerSample> peers)
    implements Event {
  public HandshakeSampleBatch {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(publicKey, "publicKey");
    peers = List.copyOf(peers);
  }
}
