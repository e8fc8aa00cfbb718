package io.spanlog.discovery.rpc;

import com.google.protobuf.ByteString;
import io.spanlog.discovery.DiscoveryLimits;
import io.spanlog.discovery.api.AffiliateUpdateRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The limits of spec section 8 that do not depend on state, checked in the reference's order
 * before anything is appended. The state-dependent ones (1024 affiliates, 64 endpoints) are
 * judged by {@link io.spanlog.discovery.DiscoveryFold DiscoveryFold} when the event is applied.
 */
final class RequestValidator {
  private RequestValidator() {}

  static void clusterId(String id) {
    if (id.isEmpty()) {
      throw StatusError.invalid("cluster ID can't be empty");
    }
    if (utf8Length(id) > DiscoveryLimits.MAX_CLUSTER_ID_BYTES) {
      throw StatusError.invalid("cluster ID is too long");
    }
  }

  static void affiliateId(String id) {
    if (id.isEmpty()) {
      throw StatusError.invalid("affiliate ID can't be empty");
    }
    if (utf8Length(id) > DiscoveryLimits.MAX_AFFILIATE_ID_BYTES) {
      throw StatusError.invalid("affiliate ID is too long");
    }
  }

  static void update(AffiliateUpdateRequest r) {
    clusterId(r.getClusterId());
    affiliateId(r.getAffiliateId());
    if (r.hasAffiliateData() && r.getAffiliateData().size() > DiscoveryLimits.MAX_AFFILIATE_DATA_BYTES) {
      throw StatusError.invalid("affiliate data is too big");
    }
    for (ByteString endpoint : r.getAffiliateEndpointsList()) {
      if (endpoint.size() > DiscoveryLimits.MAX_ENDPOINT_BYTES) {
        throw StatusError.invalid("affiliate endpoint is too big");
      }
    }
    if (ttl(r).compareTo(DiscoveryLimits.MAX_TTL) > 0) {
      throw StatusError.invalid("ttl is too large");
    }
  }

  /** The request's ttl; absent means zero. Out-of-range protobuf values are clamped, not trusted. */
  static Duration ttl(AffiliateUpdateRequest r) {
    if (!r.hasTtl()) {
      return Duration.ZERO;
    }
    long seconds = r.getTtl().getSeconds();
    // a Duration this large would overflow Instant arithmetic; it is rejected as too large anyway
    if (seconds > DiscoveryLimits.MAX_TTL.getSeconds() + 1) {
      return DiscoveryLimits.MAX_TTL.plusSeconds(1);
    }
    if (seconds < -DiscoveryLimits.MAX_TTL.getSeconds()) {
      return DiscoveryLimits.MAX_TTL.negated();
    }
    return Duration.ofSeconds(seconds, r.getTtl().getNanos());
  }

  private static int utf8Length(String s) {
    return s.length() > 256 * 4 ? s.length() : s.getBytes(StandardCharsets.UTF_8).length;
  }
}
