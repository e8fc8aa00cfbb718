package io.spanlog.affiliate;

import io.spanlog.net.Endpoint;
import java.util.List;
import java.util.Objects;

/**
 * One discovered affiliate, decrypted: its id on the wire, what it says about itself, and the
 * endpoints known for it (its own and those harvested by other nodes, in the server's order).
 */
public record AffiliateView(String affiliateId, DecodedAffiliate affiliate, List<Endpoint> endpoints) {
  public AffiliateView {
    Objects.requireNonNull(affiliateId, "affiliateId");
    Objects.requireNonNull(affiliate, "affiliate");
    endpoints = List.copyOf(endpoints);
  }
}
