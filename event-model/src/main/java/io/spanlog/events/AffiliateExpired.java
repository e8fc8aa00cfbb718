package io.spanlog.events;

import java.time.Instant;
import java.util.Objects;

/**
 * Garbage collection decided that an affiliate's lifetime ran out.
 *
 * <p>The decision is re-checked when the event is applied: if a refresh landed between the
 * decision and this event (the affiliate's expiry is no longer before {@code now}), the event
 * changes nothing. That keeps the fold correct whatever the interleaving of writers.
 *
 * @param affiliateId the affiliate removed
 * @param now the instant the collector judged expiry against
 * @param expiry the affiliate expiry the collector saw, for audit
 */
public record AffiliateExpired(String affiliateId, Instant now, Instant expiry) implements Event {
  public AffiliateExpired {
    Objects.requireNonNull(affiliateId, "affiliateId");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(expiry, "expiry");
  }
}
