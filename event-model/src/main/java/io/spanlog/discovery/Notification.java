package io.spanlog.discovery;

import java.util.Objects;

/** What Watch streams of a cluster are told about one applied change (spec section 6). */
public sealed interface Notification {
  String affiliateId();

  /** The affiliate as it is now, complete (not a diff). */
  record Upsert(AffiliateState affiliate) implements Notification {
    public Upsert {
      Objects.requireNonNull(affiliate, "affiliate");
    }

    @Override
    public String affiliateId() {
      return affiliate.id();
    }
  }

  /** The affiliate is gone. */
  record Deletion(String affiliateId) implements Notification {
    public Deletion {
      Objects.requireNonNull(affiliateId, "affiliateId");
    }
  }
}
