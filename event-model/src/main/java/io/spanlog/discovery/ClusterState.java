package io.spanlog.discovery;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The affiliates of one cluster, immutable. Every change returns a new instance, so a state
 * handed to a reader (a Watch snapshot, a snapshot writer) never changes under it.
 *
 * <p>Affiliates keep their creation order; the API leaves List order unspecified, and a stable
 * order makes snapshots and replays comparable byte for byte.
 */
public final class ClusterState {
  public static final ClusterState EMPTY = new ClusterState(new LinkedHashMap<>());

  private final Map<String, AffiliateState> affiliates;

  private ClusterState(LinkedHashMap<String, AffiliateState> affiliates) {
    this.affiliates = Collections.unmodifiableMap(affiliates);
  }

  public static ClusterState of(Collection<AffiliateState> affiliates) {
    LinkedHashMap<String, AffiliateState> map = new LinkedHashMap<>();
    for (AffiliateState a : affiliates) {
      if (map.put(a.id(), a) != null) {
        throw new IllegalArgumentException("affiliate '" + a.id() + "' listed twice");
      }
    }
    return map.isEmpty() ? EMPTY : new ClusterState(map);
  }

  public Optional<AffiliateState> affiliate(String id) {
    return Optional.ofNullable(affiliates.get(id));
  }

  /** All affiliates, in creation order. */
  public Collection<AffiliateState> affiliates() {
    return affiliates.values();
  }

  public int size() {
    return affiliates.size();
  }

  public boolean isEmpty() {
    return affiliates.isEmpty();
  }

  public int endpointCount() {
    int n = 0;
    for (AffiliateState a : affiliates.values()) {
      n += a.endpoints().size();
    }
    return n;
  }

  /** This state with the affiliate added, or replaced in place if its id is known. */
  public ClusterState with(AffiliateState affiliate) {
    LinkedHashMap<String, AffiliateState> copy = new LinkedHashMap<>(affiliates);
    copy.put(affiliate.id(), affiliate);
    return new ClusterState(copy);
  }

  public ClusterState without(String affiliateId) {
    if (!affiliates.containsKey(affiliateId)) {
      return this;
    }
    LinkedHashMap<String, AffiliateState> copy = new LinkedHashMap<>(affiliates);
    copy.remove(affiliateId);
    return copy.isEmpty() ? EMPTY : new ClusterState(copy);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClusterState other && affiliates.equals(other.affiliates);
  }

  @Override
  public int hashCode() {
    return affiliates.hashCode();
  }

  @Override
  public String toString() {
    return "ClusterState" + affiliates.values();
  }
}
