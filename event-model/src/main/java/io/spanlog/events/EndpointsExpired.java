package io.spanlog.events;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Garbage collection decided that some endpoint blobs of a live affiliate ran out. As with
 * {@link AffiliateExpired}, each blob is dropped only if its expiry is still not after
 * {@code now} when the event is applied.
 */
public record EndpointsExpired(String affiliateId, Instant now, List<Blob> endpoints)
    implements Event {
  public EndpointsExpired {
    Objects.requireNonNull(affiliateId, "affiliateId");
    Objects.requireNonNull(now, "now");
    endpoints = List.copyOf(endpoints);
  }
}
