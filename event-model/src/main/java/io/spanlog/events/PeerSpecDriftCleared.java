package io.spanlog.events;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A node reported in {@link PeerSpecDrift} matches its expected peer specs again (it caught up,
 * or discovery changed so that what it has is right again).
 *
 * @param nodeId the node's affiliate id
 * @param nodePublicKey the node
 * @param since since when it had drifted
 * @param clearedAt the sample that showed it matching
 * @param lasted from {@code since} to {@code clearedAt}
 */
public record PeerSpecDriftCleared(
    String nodeId, String nodePublicKey, Instant since, Instant clearedAt, Duration lasted)
    implements Event {
  public PeerSpecDriftCleared {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(nodePublicKey, "nodePublicKey");
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(clearedAt, "clearedAt");
    Objects.requireNonNull(lasted, "lasted");
  }
}
