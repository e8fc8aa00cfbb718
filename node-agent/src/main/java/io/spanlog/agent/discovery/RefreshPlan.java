package io.spanlog.agent.discovery;

import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import io.spanlog.affiliate.AffiliateCrypto;
import io.spanlog.agent.status.HarvestedEndpoint;
import io.spanlog.discovery.api.AffiliateDeleteRequest;
import io.spanlog.discovery.api.AffiliateUpdateRequest;
import io.spanlog.net.Endpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one refresh sends (discovery-api.md, section 13): the own affiliate with its endpoints,
 * then one endpoints-only update per peer this node publishes harvested endpoints for ({@link
 * HarvestPublication}); between TTL refreshes, only what changed ({@link #due}).
 *
 * <p>Everything this node sends echoes back through its own Watch, so an unchanged submission is
 * skipped unless the TTL refresh is due. "Unchanged" compares plaintext: the ciphertext differs on
 * every encryption because of the random nonce.
 */
public final class RefreshPlan {

  /** What was last sent, in plaintext. */
  public record Sent(Optional<LocalAffiliate> local, Map<String, List<Endpoint>> harvested) {
    public static final Sent NOTHING = new Sent(Optional.empty(), Map.of());

    public Sent {
      Objects.requireNonNull(local, "local");
      harvested = Map.copyOf(harvested);
    }
  }

  private RefreshPlan() {}

  /** Harvested endpoints grouped by affiliate id, in a stable order. */
  public static Map<String, List<Endpoint>> group(List<HarvestedEndpoint> harvested) {
    Map<String, List<Endpoint>> out = new TreeMap<>();
    for (HarvestedEndpoint h : harvested) {
      out.computeIfAbsent(h.affiliateId(), k -> new ArrayList<>()).add(h.endpoint());
    }
    out.replaceAll((k, v) -> List.copyOf(v));
    return out;
  }

  /**
   * What a refresh must send: the own affiliate, and the peers whose harvested endpoints it
   * carries, by affiliate id.
   */
  public record Due(boolean own, Set<String> harvestedFor) {
    public Due {
      harvestedFor = Set.copyOf(harvestedFor);
    }

    public boolean isEmpty() {
      return !own && harvestedFor.isEmpty();
    }
  }

  /**
   * At the TTL refresh ({@code force}): everything, so nothing expires. Otherwise only what
   * changed: the own affiliate when it differs from what was sent, and a peer's harvested
   * endpoints when one of them was not sent yet (an endpoint no longer harvested needs no send: it
   * expires with its TTL). Re-sending an unchanged endpoint before the TTL needs it only loads the
   * service: the service extends nothing and tells no one.
   */
  public static Due due(Sent last, Optional<LocalAffiliate> local, Map<String, List<Endpoint>> harvested,
      boolean force) {
    boolean own = local.isPresent() && (force || !last.local().equals(local));
    List<String> peers = new ArrayList<>();
    harvested.forEach((affiliateId, endpoints) -> {
      List<Endpoint> sent = last.harvested().getOrDefault(affiliateId, List.of());
      if (force || !sent.containsAll(endpoints)) {
        peers.add(affiliateId);
      }
    });
    return new Due(own, Set.copyOf(peers));
  }

  /** What has been sent once the {@code due} requests are answered. */
  public static Sent afterSending(Sent last, Optional<LocalAffiliate> local, Map<String, List<Endpoint>> harvested,
      Due due) {
    Map<String, List<Endpoint>> sent = new TreeMap<>();
    harvested.forEach((affiliateId, endpoints) -> {
      if (due.harvestedFor().contains(affiliateId)) {
        sent.put(affiliateId, endpoints);
      } else if (last.harvested().containsKey(affiliateId)) {
        sent.put(affiliateId, last.harvested().get(affiliateId));
      }
    });
    return new Sent(due.own() ? local : last.local(), sent);
  }

  /** Everything: the own affiliate, then every peer's harvested endpoints (a TTL refresh). */
  public static List<AffiliateUpdateRequest> updates(
      String clusterId,
      String selfId,
      LocalAffiliate local,
      Map<String, List<Endpoint>> harvested,
      java.time.Duration ttl,
      AffiliateCrypto crypto) {
    return updates(clusterId, selfId, local, harvested, new Due(true, harvested.keySet()), ttl, crypto);
  }

  /** The requests of {@code due}: the own affiliate first when due, then one per peer due. */
  public static List<AffiliateUpdateRequest> updates(
      String clusterId,
      String selfId,
      LocalAffiliate local,
      Map<String, List<Endpoint>> harvested,
      Due due,
      java.time.Duration ttl,
      AffiliateCrypto crypto) {
    Duration protoTtl = Duration.newBuilder().setSeconds(ttl.toSeconds()).build();
    List<AffiliateUpdateRequest> out = new ArrayList<>();
    if (due.own()) {
      var own = AffiliateUpdateRequest.newBuilder()
          .setClusterId(clusterId)
          .setAffiliateId(selfId)
          .setAffiliateData(ByteString.copyFrom(crypto.encryptAffiliate(local.data())))
          .setTtl(protoTtl);
      local.endpoints().forEach(e -> own.addAffiliateEndpoints(ByteString.copyFrom(crypto.encryptEndpoint(e))));
      out.add(own.build());
    }
    harvested.forEach((affiliateId, endpoints) -> {
      if (affiliateId.equals(selfId) || !due.harvestedFor().contains(affiliateId)) {
        return;
      }
      var peer = AffiliateUpdateRequest.newBuilder()
          .setClusterId(clusterId)
          .setAffiliateId(affiliateId)
          .setTtl(protoTtl);
      endpoints.forEach(e -> peer.addAffiliateEndpoints(ByteString.copyFrom(crypto.encryptEndpoint(e))));
      out.add(peer.build());
    });
    return out;
  }

  public static AffiliateDeleteRequest delete(String clusterId, String selfId) {
    return AffiliateDeleteRequest.newBuilder().setClusterId(clusterId).setAffiliateId(selfId).build();
  }
}
