package io.spanlog.observer;

import io.spanlog.affiliate.AffiliateCrypto;
import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.affiliate.DecodedAffiliate;
import io.spanlog.affiliate.KubeSpanInfo;
import io.spanlog.events.AffiliateDeleted;
import io.spanlog.events.AffiliateUpdated;
import io.spanlog.events.Blob;
import io.spanlog.events.Envelope;
import io.spanlog.events.Event;
import io.spanlog.net.Endpoint;
import io.spanlog.net.IpText;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The discovery events of {@link Fleet}'s cluster as the discovery service appends them: affiliates
 * encrypted by their nodes with the cluster secret, with KubeSpan on, node n at 10.0.0.n and
 * fd00::n.
 */
public final class FleetDiscovery {
  public static final ClusterSecret SECRET = ClusterSecret.fromBytes(filled(7));
  private static final AffiliateCrypto CRYPTO = new AffiliateCrypto(SECRET);

  private FleetDiscovery() {}

  /** Node {@code n} publishes itself with these endpoints (as a join or a refresh). */
  public static Envelope joined(Fleet.Node n, Instant at, String... endpoints) {
    return appended(n, at, new AffiliateUpdated(n.id(),
        Optional.of(Blob.of(CRYPTO.encryptAffiliate(affiliate(n)))),
        Arrays.stream(endpoints).map(e -> Blob.of(CRYPTO.encryptEndpoint(Endpoint.parse(e))))
            .toList(),
        Duration.ofMinutes(30), Optional.empty()));
  }

  /** Node {@code n} leaves (its agent deletes its affiliate). */
  public static Envelope left(Fleet.Node n, Instant at) {
    return appended(n, at, new AffiliateDeleted(n.id(), Optional.empty()));
  }

  public static DecodedAffiliate affiliate(Fleet.Node n) {
    int i = n.id().charAt(n.id().length() - 1) - 'a' + 1;
    return new DecodedAffiliate(n.id(), List.of(IpText.parse("10.0.0." + i)), n.id(), n.id(),
        "worker", "test", Optional.of(new KubeSpanInfo(n.key(), IpText.parse("fd00::" + i),
            List.of(), List.of())));
  }

  private static Envelope appended(Fleet.Node n, Instant at, Event e) {
    return new Envelope(UUID.randomUUID().toString(), Fleet.CLUSTER, n.id(), at,
        "discovery-projector@test", e);
  }

  private static byte[] filled(int b) {
    byte[] out = new byte[ClusterSecret.LENGTH];
    Arrays.fill(out, (byte) b);
    return out;
  }
}
