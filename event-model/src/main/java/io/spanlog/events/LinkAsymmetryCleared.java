package io.spanlog.events;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The two directions of a node pair reported {@link LinkAsymmetric} agree again: either the
 * peer now sees the node up too, or the node no longer sees the peer up.
 *
 * @param nodeId the affiliate id of the node that saw the link up
 * @param nodePublicKey that node
 * @param peerPublicKey the peer
 * @param peerLabel the peer's node name, as the node labels it
 * @param state the node's state for the peer now
 * @param reverseState the peer's state for the node now; empty when it has no sample of it
 * @param since since when the directions had disagreed
 * @param clearedAt the sample that showed them agreeing
 * @param lasted from {@code since} to {@code clearedAt}
 */
public record LinkAsymmetryCleared(
    String nodeId,
    String nodePublicKey,
    String peerPublicKey,
    String peerLabel,
    PeerState state,
    Optional<PeerState> reverseState,
    Instant since,
    Instant clearedAt,
    Duration lasted)
    implements Event {
  public LinkAsymmetryCleared {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(nodePublicKey, "nodePublicKey");
    Objects.requireNonNull(peerPublicKey, "peerPublicKey");
    Objects.requireNonNull(peerLabel, "peerLabel");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(reverseState, "reverseState");
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(clearedAt, "clearedAt");
    Objects.requireNonNull(lasted, "lasted");
  }
}
