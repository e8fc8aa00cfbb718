package io.spanlog.events;

import java.util.Objects;

/**
 * A node saw a handshake with a peer over an endpoint: that endpoint is known to work.
 *
 * @param nodePublicKey the observing node
 * @param peerPublicKey the peer reached
 * @param endpoint the working endpoint, {@code ip:port}
 * @param source where the observing node had the endpoint from
 */
public record EndpointObserved(
    String nodePublicKey, String peerPublicKey, String endpoint, EndpointSource source)
    implements Event {
  public EndpointObserved {
    Objects.requireNonNull(nodePublicKey, "nodePublicKey");
    Objects.requireNonNull(peerPublicKey, "peerPublicKey");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(source, "source");
  }
}
