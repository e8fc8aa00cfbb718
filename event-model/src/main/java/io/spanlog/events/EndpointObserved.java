package io.spanlog.events;

import java.time.Instant;
import java.util.Objects;

/**
 * A node's link to a peer was {@code up} through an endpoint that no node of the cluster had
 * seen working for that peer before: the endpoint is proven to work. This is how a NAT-mapped
 * address (public-ip or harvested) first proves itself.
 *
 * <p>Derived by the endpoint observer; the envelope's {@code at} is {@link #sampledAt}. Schema 2
 * (schema 1, without the node id, peer label and sample time, was never written by any build).
 *
 * @param nodeId the observing node's affiliate id
 * @param nodePublicKey the observing node
 * @param peerPublicKey the peer reached
 * @param peerLabel the peer's node name, as the observing node labels it
 * @param endpoint the working endpoint, {@code ip:port}
 * @param source where the observing node had the endpoint from
 * @param sampledAt the sample that showed the link up through it
 */
public record EndpointObserved(
    String nodeId,
    String nodePublicKey,
    String peerPublicKey,
    String peerLabel,
    String endpoint,
    EndpointSource source,
    Instant sampledAt)
    implements Event {
  public EndpointObserved {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(nodePublicKey, "nodePublicKey");
    Objects.requireNonNull(peerPublicKey, "peerPublicKey");
    Objects.requireNonNull(peerLabel, "peerLabel");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(sampledAt, "sampledAt");
  }
}
