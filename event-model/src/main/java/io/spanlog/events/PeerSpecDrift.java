package io.spanlog.events;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A node's device has differed from its expected peer specs for longer than the observer's grace
 * (normal propagation of a join or leave is shorter): it lacks an expected peer, keeps one that
 * should be gone, or uses an endpoint that is none of the peer's candidates. Written again when
 * the set of lasting discrepancies changes; followed by {@link PeerSpecDriftCleared} once the node
 * matches its specs again.
 *
 * @param nodeId the node's affiliate id
 * @param nodePublicKey the node
 * @param discrepancies every discrepancy that has lasted longer than the grace, by peer
 * @param since since when the node drifts (the oldest of them)
 * @param lasted how long it had drifted at the sample that raised this event
 */
public record PeerSpecDrift(
    String nodeId,
    String nodePublicKey,
    List<PeerSpecDiscrepancy> discrepancies,
    Instant since,
    Duration lasted)
    implements Event {
  public PeerSpecDrift {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(nodePublicKey, "nodePublicKey");
    discrepancies = List.copyOf(discrepancies);
    if (discrepancies.isEmpty()) {
      throw new IllegalArgumentException("a drift has at least one discrepancy");
    }
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(lasted, "lasted");
  }
}
