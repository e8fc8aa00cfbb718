package io.spanlog.discovery;

import io.spanlog.events.Blob;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An affiliate as the projection holds it: opaque data, the instant it expires, and its endpoint
 * blobs in first-insertion order, each with its own expiry.
 *
 * @param expiry {@link Instant#EPOCH} for an affiliate created without data nor endpoints merged
 */
public record AffiliateState(String id, Blob data, Instant expiry, List<EndpointState> endpoints) {
  public AffiliateState {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(expiry, "expiry");
    endpoints = List.copyOf(endpoints);
  }

  /** A just-created affiliate: no data, no endpoints, zero expiry (spec 5.2 step 1). */
  public static AffiliateState created(String id) {
    return new AffiliateState(id, Blob.EMPTY, Instant.EPOCH, List.of());
  }

  /** The endpoint blobs alone, in order: what List and Watch send. */
  public List<Blob> endpointBlobs() {
    return endpoints.stream().map(EndpointState::blob).toList();
  }
}
