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
import java.util.TreeMap;

/**
 * What one refresh sends (discovery-api.md, section 13): the own affiliate with its endpoints,
 * then one endpoints-only update per peer this node harvested endpoints for.
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

  /** Whether anything differs from what was sent last. */
  public static boolean changed(Sent last, Optional<LocalAffiliate> local, Map<String, List<Endpoint>> harvested) {
    return !last.local().equals(local) || !last.harvested().equals(harvested);
  }

  public static List<AffiliateUpdateRequest> updates(
      String clusterId,
      String selfId,
      LocalAffiliate local,
      Map<String, List<Endpoint>> harvested,
      java.time.Duration ttl,
      AffiliateCrypto crypto) {
    Duration protoTtl = Duration.newBuilder().setSeconds(ttl.toSeconds()).build();
    List<AffiliateUpdateRequest> out = new ArrayList<>();
    var own = AffiliateUpdateRequest.newBuilder()
        .setClusterId(clusterId)
        .setAffiliateId(selfId)
        .setAffiliateData(ByteString.copyFrom(crypto.encryptAffiliate(local.data())))
        .setTtl(protoTtl);
    local.endpoints().forEach(e -> own.addAffiliateEndpoints(ByteString.copyFrom(crypto.encryptEndpoint(e))));
    out.add(own.build());
    harvested.forEach((affiliateId, endpoints) -> {
      if (affiliateId.equals(selfId)) {
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
