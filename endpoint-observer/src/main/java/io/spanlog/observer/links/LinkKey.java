package io.spanlog.observer.links;

import java.util.Objects;

/**
 * A link: one node's view of one peer in one cluster. Each direction of a node pair is its own
 * link; {@link #reverse()} is the other one.
 */
public record LinkKey(String clusterId, String nodePublicKey, String peerPublicKey) {
  public LinkKey {
    Objects.requireNonNull(clusterId, "clusterId");
    Objects.requireNonNull(nodePublicKey, "nodePublicKey");
    Objects.requireNonNull(peerPublicKey, "peerPublicKey");
  }

  public LinkKey reverse() {
    return new LinkKey(clusterId, peerPublicKey, nodePublicKey);
  }
}
