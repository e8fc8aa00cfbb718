package io.spanlog.agent.status;

import io.spanlog.net.Endpoint;
import java.util.Objects;

/** An endpoint at which this node has a working link to a peer ({@code KubeSpanEndpoint}). */
public record HarvestedEndpoint(String publicKey, String affiliateId, Endpoint endpoint) {
  public HarvestedEndpoint {
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(affiliateId, "affiliateId");
    Objects.requireNonNull(endpoint, "endpoint");
  }
}
