package io.spanlog.events;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A link changed state more often than the observer's threshold within its window: an operator
 * should look at it rather than at each of its state changes. Followed by
 * {@link LinkFlappingCleared} once it has been quiet long enough.
 *
 * @param nodeId the observing node's affiliate id
 * @param nodePublicKey the observing node
 * @param peerPublicKey the peer
 * @param peerLabel the peer's node name, as the observing node labels it
 * @param changes state changes counted within {@code window}, up to and including this one
 * @param window the window they were counted in (sample time)
 * @param firstChangeAt the first sample of the oldest change counted
 * @param lastChangeAt the first sample of the change that crossed the threshold
 */
public record LinkFlapping(
    String nodeId,
    String nodePublicKey,
    String peerPublicKey,
    String peerLabel,
    int changes,
    Duration window,
    Instant firstChangeAt,
    Instant lastChangeAt)
    implements Event {
  public LinkFlapping {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(nodePublicKey, "nodePublicKey");
    Objects.requireNonNull(peerPublicKey, "peerPublicKey");
    Objects.requireNonNull(peerLabel, "peerLabel");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(firstChangeAt, "firstChangeAt");
    Objects.requireNonNull(lastChangeAt, "lastChangeAt");
  }
}
