package io.spanlog.events;

import java.util.Objects;
import java.util.Optional;

/**
 * A link (as seen from one node towards one peer) changed state.
 *
 * @param nodePublicKey the observing node
 * @param peerPublicKey the peer
 * @param from the previous state
 * @param to the new state
 * @param endpoint the endpoint in use at the change
 * @param reason the rule that set the new state, in words
 */
public record LinkStateChanged(
    String nodePublicKey,
    String peerPublicKey,
    PeerState from,
    PeerState to,
    Optional<String> endpoint,
    String reason)
    implements Event {
  public LinkStateChanged {
    Objects.requireNonNull(nodePublicKey, "nodePublicKey");
    Objects.requireNonNull(peerPublicKey, "peerPublicKey");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(reason, "reason");
  }
}
