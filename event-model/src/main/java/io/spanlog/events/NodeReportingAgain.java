package io.spanlog.events;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A batch of a node reported {@link NodeSilent} arrived: the gap, in arrival time and in sample
 * time. A node cut off from its discovery service keeps sampling and sends its backlog on
 * reconnect, so its first batch back is old ({@code sampleGap} short, about one reconcile
 * interval, while {@code unheardFor} is long); a node that was down has no samples for the gap
 * ({@code sampleGap} about as long as {@code unheardFor}).
 *
 * @param nodeId the node's affiliate id
 * @param publicKey the node's WireGuard public key
 * @param lastArrivedAt when its last batch before the silence was appended
 * @param arrivedAt when this batch was appended
 * @param unheardFor from {@code lastArrivedAt} to {@code arrivedAt}
 * @param lastSampleBefore the sample time of its last batch before the silence
 * @param firstSampleAfter the sample time of this batch
 * @param sampleGap from {@code lastSampleBefore} to {@code firstSampleAfter}: the stretch with no
 *     sample at all
 * @param discoveryReachable whether this batch says its discovery service answered when sampled
 */
public record NodeReportingAgain(
    String nodeId,
    String publicKey,
    Instant lastArrivedAt,
    Instant arrivedAt,
    Duration unheardFor,
    Instant lastSampleBefore,
    Instant firstSampleAfter,
    Duration sampleGap,
    boolean discoveryReachable)
    implements Event {
  public NodeReportingAgain {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(lastArrivedAt, "lastArrivedAt");
    Objects.requireNonNull(arrivedAt, "arrivedAt");
    Objects.requireNonNull(unheardFor, "unheardFor");
    Objects.requireNonNull(lastSampleBefore, "lastSampleBefore");
    Objects.requireNonNull(firstSampleAfter, "firstSampleAfter");
    Objects.requireNonNull(sampleGap, "sampleGap");
  }
}
