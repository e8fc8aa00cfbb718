package io.spanlog.agent.discovery;

import io.spanlog.affiliate.AffiliateView;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** The decrypted affiliates of the cluster except this node, by affiliate id (immutable). */
public final class ClusterView {
  private static final ClusterView EMPTY = new ClusterView(new TreeMap<>());

  private final SortedMap<String, AffiliateView> affiliates;

  private ClusterView(SortedMap<String, AffiliateView> affiliates) {
    this.affiliates = Collections.unmodifiableSortedMap(affiliates);
  }

  public static ClusterView empty() {
    return EMPTY;
  }

  public static ClusterView of(Map<String, AffiliateView> affiliates) {
    return new ClusterView(new TreeMap<>(affiliates));
  }

  public SortedMap<String, AffiliateView> byId() {
    return affiliates;
  }

  /** The affiliates in id order, the input of {@code PeerSpecs.compute}. */
  public List<AffiliateView> affiliates() {
    return List.copyOf(affiliates.values());
  }

  public Optional<AffiliateView> get(String affiliateId) {
    return Optional.ofNullable(affiliates.get(affiliateId));
  }

  public int size() {
    return affiliates.size();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClusterView v && v.affiliates.equals(affiliates);
  }

  @Override
  public int hashCode() {
    return affiliates.hashCode();
  }

  @Override
  public String toString() {
    return "ClusterView" + affiliates.keySet();
  }
}
