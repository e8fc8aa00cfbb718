package io.spanlog.events;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One direction of a node pair is broken: the node sees the peer {@code up} while the peer sees
 * the node otherwise (or has no sample of it at all), and has for longer than the observer's
 * threshold. Followed by {@link LinkAsymmetryCleared} when the two directions agree again.
 *
 * @param nodeId the affiliate id of the node that sees the link up
 * @param nodePublicKey that node
 * @param peerPublicKey the peer, which does not see the node up
 * @param peerLabel the peer's node name, as the node labels it
 * @param reverseState the peer's state for the node; empty when the peer reports no sample of it
 * @param since since when the two directions disagree (sample times)
 * @param lasted how long they had disagreed at the sample that raised this event
 */
public record LinkAsymmetric(
    String nodeId,
    String nodePublicKey,
    String peerPublicKey,
    String peerLabel,
    Optional<PeerState> reverseState,
    Instant since,
    Duration lasted)
    implements Event {
  public LinkAsymmetric {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(nodePublicKey, "nodePublicKey");
    Objects.requireNonNull(peerPublicKey, "peerPublicKey");
    Objects.requireNonNull(peerLabel, "peerLabel");
    Objects.requireNonNull(reverseState, "reverseState");
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(lasted, "lasted");
  }
}
