package io.spanlog.peers;

import io.spanlog.affiliate.AffiliateView;
import io.spanlog.affiliate.KubeSpanInfo;
import io.spanlog.net.PrefixSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The peer specs of a node, kept up to date one affiliate at a time: a change of one affiliate
 * recomputes that peer's spec only, which at 1,000 peers costs microseconds where {@link
 * PeerSpecs#compute} costs milliseconds.
 *
 * <p>The duplicate-key and overlap rules of {@link PeerSpecs#compute} look at all peers at once:
 * which of two conflicting peers survives depends on their order. {@link #update} therefore
 * decides alone only when there is no conflict before nor after the change: the last result had
 * no warning, and the changed affiliate's key is valid, unused by another peer, and its allowed
 * IPs overlap no other peer's. Then the full compute keeps every peer too, and the results are
 * equal; in every other case it answers empty and the caller runs {@link #full}, the fallback.
 * {@code PeerSpecIndexTest} checks the equality over random sequences of changes.
 *
 * <p>Not thread-safe: one owner (the agent's thread).
 */
public final class PeerSpecIndex {
  private final String localPublicKey;
  private PeerSpecSet specs = new PeerSpecSet(List.of(), List.of());
  // built lazily from specs after a full compute, so periodic full passes pay nothing for it
  private TreeMap<String, PeerSpec> byKey;
  private Map<String, String> keyByAffiliate;
  private Map<String, PrefixSet> allowedByKey;
  private Map<String, PeerSpec> previousByKey = Map.of();
  private Map<String, PrefixSet> previousAllowed = Map.of();

  public PeerSpecIndex(String localPublicKey) {
    this.localPublicKey = Objects.requireNonNull(localPublicKey, "localPublicKey");
  }

  /** The last result. */
  public PeerSpecSet specs() {
    return specs;
  }

  /** The local node's public key, which the specs leave out. */
  public String localPublicKey() {
    return localPublicKey;
  }

  /** The accepted peer of an affiliate in the last result, if it is one. */
  public Optional<PeerSpec> peerOf(String affiliateId) {
    index();
    String key = keyByAffiliate.get(affiliateId);
    return key == null ? Optional.empty() : Optional.of(byKey.get(key));
  }

  /** The full compute over every affiliate, remembered as the base of the next updates. */
  public PeerSpecSet full(List<AffiliateView> affiliates) {
    specs = PeerSpecs.compute(localPublicKey, affiliates);
    if (byKey != null) {
      // the next index() reuses the allowed-IP sets of peers whose allowed IPs did not change
      previousByKey = byKey;
      previousAllowed = allowedByKey;
    }
    byKey = null;
    return specs;
  }

  /**
   * One affiliate changed ({@code now} present) or left (empty). Returns the new specs when the
   * change can be decided from this affiliate alone, and leaves the index unchanged and answers
   * empty otherwise (then call {@link #full}).
   */
  public Optional<PeerSpecSet> update(String affiliateId, Optional<AffiliateView> now) {
    Objects.requireNonNull(affiliateId, "affiliateId");
    if (!specs.warnings().isEmpty()) {
      return Optional.empty(); // a dropped peer may come back: only the full order decides
    }
    index();
    String oldKey = keyByAffiliate.get(affiliateId);
    PeerSpec next = null;
    PrefixSet nextAllowed = null;
    if (now.isPresent()) {
      AffiliateView view = now.get();
      if (!view.affiliateId().equals(affiliateId)) {
        throw new IllegalArgumentException("affiliate " + view.affiliateId() + " given as " + affiliateId);
      }
      Optional<KubeSpanInfo> kubeSpan = view.affiliate().kubeSpan();
      if (kubeSpan.isPresent() && !kubeSpan.get().publicKey().equals(localPublicKey)) {
        String key = kubeSpan.get().publicKey();
        if (!PeerSpecs.isWireGuardKey(key)) {
          return Optional.empty(); // a warning: the full compute words it
        }
        if (byKey.containsKey(key) && !key.equals(oldKey)) {
          return Optional.empty(); // duplicate key: which one stays depends on the order
        }
        nextAllowed = PeerSpecs.allowedIps(view.affiliate(), kubeSpan.get());
        for (Map.Entry<String, PrefixSet> other : allowedByKey.entrySet()) {
          if (!other.getKey().equals(oldKey) && other.getValue().overlaps(nextAllowed)) {
            return Optional.empty(); // overlap: which one stays depends on the order
          }
        }
        next = PeerSpecs.specOf(view, kubeSpan.get(), nextAllowed);
      }
    }
    if (oldKey != null) {
      byKey.remove(oldKey);
      allowedByKey.remove(oldKey);
      keyByAffiliate.remove(affiliateId);
    }
    if (next != null) {
      byKey.put(next.publicKey(), next);
      allowedByKey.put(next.publicKey(), nextAllowed);
      keyByAffiliate.put(affiliateId, next.publicKey());
    }
    specs = new PeerSpecSet(new ArrayList<>(byKey.values()), List.of());
    return Optional.of(specs);
  }

  private void index() {
    if (byKey != null) {
      return;
    }
    byKey = new TreeMap<>();
    keyByAffiliate = new HashMap<>();
    allowedByKey = new HashMap<>();
    for (PeerSpec spec : specs.peers()) {
      byKey.put(spec.publicKey(), spec);
      keyByAffiliate.put(spec.affiliateId(), spec.publicKey());
      PeerSpec before = previousByKey.get(spec.publicKey());
      PrefixSet allowed = before != null && before.allowedIps().equals(spec.allowedIps())
          ? previousAllowed.get(spec.publicKey())
          : PrefixSet.of(spec.allowedIps());
      allowedByKey.put(spec.publicKey(), allowed);
    }
    previousByKey = Map.of();
    previousAllowed = Map.of();
  }
}
