package io.spanlog.peers;

import io.spanlog.affiliate.AffiliateView;
import io.spanlog.affiliate.DecodedAffiliate;
import io.spanlog.affiliate.KubeSpanInfo;
import io.spanlog.events.EndpointSource;
import io.spanlog.net.Endpoint;
import io.spanlog.net.IpPrefix;
import io.spanlog.net.PrefixOwners;
import io.spanlog.net.PrefixSet;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Peer specs from discovered affiliates (kubespan-behaviour.md, "Peer specs"), as a pure,
 * deterministic function shared by the agent and the replay tools.
 *
 * <p>Rules: the local node (by public key) and affiliates without KubeSpan are skipped. An
 * affiliate whose KubeSpan public key is not a WireGuard key (standard base64 of 32 bytes) is left
 * out with a warning: any holder of the cluster secret can publish one, and it must neither fail
 * the device apply of every node nor, taken before the overlap check, push out a valid peer. Allowed IPs
 * are the union of the KubeSpan /128, every node address as /32 or /128 and the additional
 * prefixes, as a minimal prefix list. Talos drops a peer whose set overlaps one accepted before
 * it in map order; here peers are taken in public-key order (affiliate id breaks ties) so every
 * node drops the same one. The {@code excludeAdvertised} prefixes of an affiliate are carried in
 * the decoded view but not applied here: the behaviour spec defines the allowed IPs as the union
 * above, and how Talos applies the exclusions is not yet verified.
 *
 * <p><b>Endpoint provenance.</b> The discovery wire merges an affiliate's own endpoints and those
 * harvested for it by other nodes into one list of opaque blobs, so the source is inferred by a
 * fixed rule, not read:
 *
 * <ol>
 *   <li>{@link EndpointSource#ADVERTISED}: the IP is one of the peer's own node addresses;
 *   <li>{@link EndpointSource#PUBLIC_IP}: the IP is not one of its addresses, but the port is the
 *       peer's announced port (the port of its advertised endpoints). A peer publishes its Hello
 *       IP with that port; a harvested endpoint with the same IP and port is byte-identical, so
 *       this names the address at which the outside sees the peer, whoever reported it;
 *   <li>{@link EndpointSource#HARVESTED}: any other port (a NAT mapping seen by another node);
 *   <li>{@link EndpointSource#UNKNOWN}: not an own address and the peer advertises no endpoint of
 *       its own, so its announced port is unknown.
 * </ol>
 */
public final class PeerSpecs {
  private static final int WIREGUARD_KEY_BYTES = 32;

  private PeerSpecs() {}

  public static PeerSpecSet compute(String localPublicKey, List<AffiliateView> affiliates) {
    return computeHeld(localPublicKey, affiliates, new PrefixOwners<>(), new HashMap<>());
  }

  /**
   * {@link #compute}, leaving in {@code owners} the allowed IPs of every accepted peer by public key,
   * and in {@code allowedByKey} each accepted peer's set: what {@link PeerSpecIndex} builds on.
   */
  static PeerSpecSet computeHeld(String localPublicKey, List<AffiliateView> affiliates, PrefixOwners<String> owners,
      Map<String, PrefixSet> allowedByKey) {
    Objects.requireNonNull(localPublicKey, "localPublicKey");
    List<PeerSpecWarning> warnings = new ArrayList<>();
    List<AffiliateView> candidates = new ArrayList<>();
    for (AffiliateView view : affiliates) {
      Optional<KubeSpanInfo> kubeSpan = view.affiliate().kubeSpan();
      if (kubeSpan.isEmpty() || kubeSpan.get().publicKey().equals(localPublicKey)) {
        continue;
      }
      if (!isWireGuardKey(kubeSpan.get().publicKey())) {
        warnings.add(
            new PeerSpecWarning(
                view.affiliateId(),
                kubeSpan.get().publicKey(),
                "KubeSpan public key is not the base64 of 32 bytes; affiliate ignored"));
        continue;
      }
      candidates.add(view);
    }
    candidates.sort(
        Comparator.comparing((AffiliateView v) -> publicKey(v)).thenComparing(AffiliateView::affiliateId));

    List<PeerSpec> peers = new ArrayList<>();
    // a key counts as used even when its first affiliate is then dropped for an overlap
    Set<String> usedKeys = new HashSet<>();
    for (AffiliateView view : candidates) {
      KubeSpanInfo kubeSpan = view.affiliate().kubeSpan().orElseThrow();
      if (!usedKeys.add(kubeSpan.publicKey())) {
        warnings.add(
            new PeerSpecWarning(
                view.affiliateId(),
                kubeSpan.publicKey(),
                "public key already used by another affiliate; this one is ignored"));
        continue;
      }
      PrefixSet allowed = allowedIps(view.affiliate(), kubeSpan);
      // overlapping any accepted peer's set = overlapping their union, looked up per range
      if (owners.overlapping(allowed, null).isPresent()) {
        warnings.add(
            new PeerSpecWarning(
                view.affiliateId(),
                kubeSpan.publicKey(),
                "allowed IPs " + allowed + " overlap those of a peer with a smaller public key; peer dropped"));
        continue;
      }
      owners.put(kubeSpan.publicKey(), allowed);
      allowedByKey.put(kubeSpan.publicKey(), allowed);
      peers.add(specOf(view, kubeSpan, allowed));
    }
    return new PeerSpecSet(peers, warnings);
  }

  /** The spec of one accepted affiliate (its overlap and duplicate checks are the caller's). */
  static PeerSpec specOf(AffiliateView view, KubeSpanInfo kubeSpan, PrefixSet allowed) {
    return new PeerSpec(
        kubeSpan.publicKey(), label(view.affiliate()), kubeSpan.address(), allowed.prefixes(), endpoints(view),
        view.affiliateId());
  }

  /** A WireGuard public key as {@code wg} writes it: standard base64 of exactly 32 bytes. */
  static boolean isWireGuardKey(String text) {
    try {
      return Base64.getDecoder().decode(text).length == WIREGUARD_KEY_BYTES;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  static PrefixSet allowedIps(DecodedAffiliate affiliate, KubeSpanInfo kubeSpan) {
    List<IpPrefix> prefixes = new ArrayList<>(kubeSpan.additionalAddresses());
    affiliate.addresses().forEach(ip -> prefixes.add(IpPrefix.host(ip)));
    prefixes.add(IpPrefix.host(kubeSpan.address()));
    return PrefixSet.of(prefixes);
  }

  /**
   * The endpoint candidates of one affiliate with their provenance, by the rule above, in order
   * without duplicates: what its peer spec would carry (the history tools show them per affiliate).
   */
  public static List<PeerEndpoint> endpoints(AffiliateView view) {
    Set<InetAddress> own = new HashSet<>(view.affiliate().addresses());
    Set<Integer> announcedPorts = new HashSet<>();
    for (Endpoint e : view.endpoints()) {
      if (own.contains(e.ip())) {
        announcedPorts.add(e.port());
      }
    }
    List<PeerEndpoint> out = new ArrayList<>();
    for (Endpoint e : new LinkedHashSet<>(view.endpoints())) {
      out.add(new PeerEndpoint(e, source(e, own, announcedPorts)));
    }
    return out;
  }

  private static EndpointSource source(Endpoint e, Set<InetAddress> own, Set<Integer> announcedPorts) {
    if (own.contains(e.ip())) {
      return EndpointSource.ADVERTISED;
    }
    if (announcedPorts.isEmpty()) {
      return EndpointSource.UNKNOWN;
    }
    return announcedPorts.contains(e.port()) ? EndpointSource.PUBLIC_IP : EndpointSource.HARVESTED;
  }

  private static String label(DecodedAffiliate a) {
    return a.nodename().isEmpty() ? a.hostname() : a.nodename();
  }

  private static String publicKey(AffiliateView v) {
    return v.affiliate().kubeSpan().orElseThrow().publicKey();
  }
}
