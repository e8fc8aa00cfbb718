package io.spanlog.events;

import java.util.Objects;
import java.util.Optional;

/**
 * An AffiliateDelete accepted by a discovery service instance.
 *
 * @param origin the client address the service saw for the writer, when known
 */
public record AffiliateDeleted(String affiliateId, Optional<String> origin) implements Event {
  public AffiliateDeleted {
    Objects.requireNonNull(affiliateId, "affiliateId");
    Objects.requireNonNull(origin, "origin");
  }
}
