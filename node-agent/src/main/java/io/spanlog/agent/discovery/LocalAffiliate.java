package io.spanlog.agent.discovery;

import io.spanlog.affiliate.DecodedAffiliate;
import io.spanlog.net.Endpoint;
import java.util.List;
import java.util.Objects;

/** What this node publishes about itself, in plaintext; encrypted only when sent. */
public record LocalAffiliate(DecodedAffiliate data, List<Endpoint> endpoints) {
  public LocalAffiliate {
    Objects.requireNonNull(data, "data");
    endpoints = List.copyOf(endpoints);
  }
}
