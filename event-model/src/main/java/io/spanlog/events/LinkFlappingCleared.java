package io.spanlog.events;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A flapping link has kept one state for the observer's quiet period: the all-clear of
 * {@link LinkFlapping}.
 *
 * @param nodeId the observing node's affiliate id
 * @param nodePublicKey the observing node
 * @param peerPublicKey the peer
 * @param peerLabel the peer's node name, as the observing node labels it
 * @param state the state the link settled in
 * @param flappingSince the {@code lastChangeAt} of the flapping event
 * @param lastChangeAt the first sample of the last change while flapping
 * @param quietFor how long the link has kept {@code state}, at the sample that cleared it
 * @param changesWhileFlapping state changes from the flapping event's window to the all-clear
 */
public record LinkFlappingCleared(
    String nodeId,
    String nodePublicKey,
    String peerPublicKey,
    String peerLabel,
    PeerState state,
    Instant flappingSince,
    Instant lastChangeAt,
    Duration quietFor,
    int changesWhileFlapping)
    implements Event {
  public LinkFlappingCleared {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(nodePublicKey, "nodePublicKey");
    Objects.requireNonNull(peerPublicKey, "peerPublicKey");
    Objects.requireNonNull(peerLabel, "peerLabel");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(flappingSince, "flappingSince");
    Objects.requireNonNull(lastChangeAt, "lastChangeAt");
    Objects.requireNonNull(quietFor, "quietFor");
  }
}
