package io.spanlog.observer.nodes;

import java.time.Instant;
import java.util.Objects;

/**
 * What the observer knows of one reporting node. The value of the {@code observer.nodes} store,
 * keyed by (cluster, node id).
 *
 * @param publicKey the node's WireGuard public key at its latest batch
 * @param lastArrivedAt when its latest batch was appended
 * @param lastSampledAt the latest sample time among its batches
 * @param lastDiscoveryReachable what its latest batch said of its discovery service
 * @param silent whether it has been reported silent and not heard from since
 */
public record NodeRecord(
    String publicKey,
    Instant lastArrivedAt,
    Instant lastSampledAt,
    boolean lastDiscoveryReachable,
    boolean silent) {
  public NodeRecord {
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(lastArrivedAt, "lastArrivedAt");
    Objects.requireNonNull(lastSampledAt, "lastSampledAt");
  }

  public NodeRecord asSilent() {
    return new NodeRecord(publicKey, lastArrivedAt, lastSampledAt, lastDiscoveryReachable, true);
  }
}
