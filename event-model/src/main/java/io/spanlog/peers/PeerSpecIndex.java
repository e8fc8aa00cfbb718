package io.spanlog.peers;

import io.spanlog.affiliate.AffiliateView;
import io.spanlog.affiliate.KubeSpanInfo;
import io.spanlog.net.PrefixOwners;
import io.spanlog.net.PrefixSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The peer specs of a node, kept up to date one affiliate at a time: a change of one affiliate
 * recomputes that peer's spec only, which at 1,000 peers costs microseconds where {@link
 * PeerSpecs#compute} costs milliseconds.
 *
 * <p>A change costs a few look-ups, not a scan: the peers are kept by key order, by affiliate, and
 * their allowed IPs in a {@link PrefixOwners}, all built by the full compute itself.
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
  private static final Comparator<PeerSpec> BY_KEY = Comparator.comparing(PeerSpec::publicKey);

  private final String localPublicKey;
  private PeerSpecSet specs = new PeerSpecSet(List.of(), List.of());
  // the accepted peers of specs, by key order (= specs.peers()), by affiliate and by address: built by
  // the full compute itself, so a change looks up, never scans
  private ArrayList<PeerSpec> sorted = new ArrayList<>();
  private Map<String, PeerSpec> byAffiliate = new HashMap<>();
  private Map<String, PrefixSet> allowedByKey = new HashMap<>();
  private PrefixOwners<String> owners = new PrefixOwners<>();

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
    return Optional.ofNullable(byAffiliate.get(affiliateId));
  }

  /** The full compute over every affiliate, remembered as the base of the next updates. */
  public PeerSpecSet full(List<AffiliateView> affiliates) {
    var nextOwners = new PrefixOwners<String>();
    var nextAllowed = new HashMap<String, PrefixSet>();
    specs = PeerSpecs.computeHeld(localPublicKey, affiliates, nextOwners, nextAllowed);
    owners = nextOwners;
    allowedByKey = nextAllowed;
    sorted = new ArrayList<>(specs.peers());
    byAffiliate = new HashMap<>();
    for (PeerSpec spec : sorted) {
      byAffiliate.put(spec.affiliateId(), spec);
    }
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
    PeerSpec old = byAffiliate.get(affiliateId);
    String oldKey = old == null ? null : old.publicKey();
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
        if (allowedByKey.containsKey(key) && !key.equals(oldKey)) {
          return Optional.empty(); // duplicate key: which one stays depends on the order
        }
        nextAllowed = PeerSpecs.allowedIps(view.affiliate(), kubeSpan.get());
        if (owners.overlapping(nextAllowed, oldKey).isPresent()) {
          return Optional.empty(); // overlap: which one stays depends on the order
        }
        next = PeerSpecs.specOf(view, kubeSpan.get(), nextAllowed);
      }
    }
    if (old != null) {
      owners.remove(oldKey, allowedByKey.remove(oldKey));
      byAffiliate.remove(affiliateId);
      sorted.remove(Collections.binarySearch(sorted, old, BY_KEY));
    }
    if (next != null) {
      owners.put(next.publicKey(), nextAllowed);
      allowedByKey.put(next.publicKey(), nextAllowed);
      byAffiliate.put(affiliateId, next);
      sorted.add(-Collections.binarySearch(sorted, next, BY_KEY) - 1, next);
    }
    specs = new PeerSpecSet(sorted, List.of());
    return Optional.of(specs);
  }
}
