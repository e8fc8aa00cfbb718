package io.spanlog.events;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One node's view of all its peers after one reconcile.
 *
 * @param nodeId the reporting node's affiliate id
 * @param publicKey the reporting node's WireGuard public key
 * @param discoveryReachable whether the node's discovery service answered at its last attempt
 *     (a node cut off from discovery otherwise looks like a node that is alone)
 * @param peers one sample per peer in its device
 * @param sampledAt when the agent took the samples, on the agent's clock: the event time of
 *     everything derived from the batch. A batch may be delivered long after (a backlog sent on
 *     reconnect), so the envelope's {@code at}, the time the discovery service appended it, is not
 *     the sample time. Absent in batches written before the field existed (readers fall back to
 *     {@code at}, see {@link #sampledAtOr})
 */
public record HandshakeSampleBatch(
    String nodeId,
    String publicKey,
    boolean discoveryReachable,
    List<PeerSample> peers,
    Optional<Instant> sampledAt)
    implements Event {
  public HandshakeSampleBatch {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(publicKey, "publicKey");
    peers = List.copyOf(peers);
    Objects.requireNonNull(sampledAt, "sampledAt");
  }

  /** A batch without its sample time, as agents wrote them before {@code sampledAt} existed. */
  public HandshakeSampleBatch(
      String nodeId, String publicKey, boolean discoveryReachable, List<PeerSample> peers) {
    this(nodeId, publicKey, discoveryReachable, peers, Optional.empty());
  }

  /** The sample time, or {@code appendedAt} (the envelope's time) for a batch without one. */
  public Instant sampledAtOr(Instant appendedAt) {
    return sampledAt.orElse(appendedAt);
  }
}
