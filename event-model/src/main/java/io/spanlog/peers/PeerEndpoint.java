package io.spanlog.peers;

import io.spanlog.events.EndpointSource;
import io.spanlog.net.Endpoint;
import java.util.Objects;

/** One endpoint candidate of a peer and where it came from. */
public record PeerEndpoint(Endpoint endpoint, EndpointSource source) {
  public PeerEndpoint {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(source, "source");
  }

  @Override
  public String toString() {
    return endpoint + " (" + source.wireName() + ")";
  }
}
