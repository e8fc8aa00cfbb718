package io.spanlog.discovery;

import io.spanlog.events.Blob;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The spec's state-dependent limits (64 endpoints per affiliate, 1024 affiliates per cluster)
 * judged <em>before</em> an update is appended, against a view of the cluster that may be a little
 * behind the log. An update this refuses is never appended, so a client cannot grow the 90-day
 * log with writes the fold would reject anyway.
 *
 * <p>The {@link DiscoveryFold} stays the authority: an update admitted here is still judged by the
 * fold when it is applied (another write may have landed in between), with the spec's semantics
 * (section 5.2: blobs merged before the 65th stay merged). What differs from the reference is
 * only an update refused here: it merges nothing, where the reference would merge the blobs that
 * still fit before answering the same RESOURCE_EXHAUSTED.
 */
public final class UpdateAdmission {
  private UpdateAdmission() {}

  /**
   * @param cluster the cluster as this instance's projection holds it now
   * @param endpoints the update's endpoint blobs, in request order
   * @return {@link WriteOutcome#OK}, or the refusal the spec's limits give
   */
  public static WriteOutcome judge(ClusterState cluster, String affiliateId, List<Blob> endpoints) {
    Set<Blob> distinct = new LinkedHashSet<>(endpoints);
    // More distinct blobs than the cap exceed it whatever the affiliate holds: at most 64 of them
    // can be known already, and every known one is one of the affiliate's endpoints.
    if (distinct.size() > DiscoveryLimits.MAX_ENDPOINTS_PER_AFFILIATE) {
      return WriteOutcome.TOO_MANY_ENDPOINTS;
    }
    AffiliateState current = cluster.affiliate(affiliateId).orElse(null);
    if (current == null) {
      return cluster.size() >= DiscoveryLimits.MAX_AFFILIATES_PER_CLUSTER
          ? WriteOutcome.TOO_MANY_AFFILIATES
          : WriteOutcome.OK;
    }
    Set<Blob> known = new HashSet<>(current.endpointBlobs());
    int fresh = 0;
    for (Blob b : distinct) {
      if (!known.contains(b)) {
        fresh++;
      }
    }
    return known.size() + fresh > DiscoveryLimits.MAX_ENDPOINTS_PER_AFFILIATE
        ? WriteOutcome.TOO_MANY_ENDPOINTS
        : WriteOutcome.OK;
  }
}
