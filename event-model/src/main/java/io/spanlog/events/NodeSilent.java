package io.spanlog.events;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * No batch of a node has arrived for longer than the observer's threshold while batches of other
 * nodes of its cluster kept arriving: the node is down, or cannot reach its discovery service
 * (it then keeps a backlog and sends it on reconnect, see {@link NodeReportingAgain}).
 *
 * <p>Judged on the cluster's arrival time (the latest append time of any of its batches), not on
 * a wall clock, so replaying the log yields the same events; a cluster none of whose nodes
 * report cannot be judged until one does.
 *
 * @param nodeId the node's affiliate id
 * @param publicKey the node's WireGuard public key
 * @param lastArrivedAt when its last batch was appended
 * @param lastSampledAt the sample time of that batch
 * @param lastDiscoveryReachable whether that batch said its discovery service answered
 * @param detectedAt the cluster's arrival time at which the silence passed the threshold
 * @param threshold the threshold in force
 */
public record NodeSilent(
    String nodeId,
    String publicKey,
    Instant lastArrivedAt,
    Instant lastSampledAt,
    boolean lastDiscoveryReachable,
    Instant detectedAt,
    Duration threshold)
    implements Event {
  public NodeSilent {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(lastArrivedAt, "lastArrivedAt");
    Objects.requireNonNull(lastSampledAt, "lastSampledAt");
    Objects.requireNonNull(detectedAt, "detectedAt");
    Objects.requireNonNull(threshold, "threshold");
  }
}
