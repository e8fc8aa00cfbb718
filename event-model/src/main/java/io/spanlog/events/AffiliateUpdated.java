package io.spanlog.events;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An AffiliateUpdate accepted by a discovery service instance, exactly as submitted: the
 * projection applies the merge rules of the discovery API to it, with the envelope's {@code at}
 * as "now", so replaying the log rebuilds the same state.
 *
 * @param affiliateId the affiliate (node id) updated
 * @param data the new encrypted payload; empty when the request carried none (or an empty one)
 * @param endpoints encrypted endpoint blobs to merge, in submitted order
 * @param ttl lifetime of what this update submits, as requested (zero or negative allowed)
 * @param origin the client address the service saw for the writer, when known
 */
public record AffiliateUpdated(
    String affiliateId, Optional<Blob> data, List<Blob> endpoints, Duration ttl, Optional<String> origin)
    implements Event {

  public AffiliateUpdated {
    Objects.requireNonNull(affiliateId, "affiliateId");
    Objects.requireNonNull(data, "data");
    endpoints = List.copyOf(endpoints);
    Objects.requireNonNull(ttl, "ttl");
    Objects.requireNonNull(origin, "origin");
  }
}
