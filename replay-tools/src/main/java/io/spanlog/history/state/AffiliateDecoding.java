package io.spanlog.history.state;

import io.spanlog.affiliate.AffiliateCrypto;
import io.spanlog.affiliate.AffiliateView;
import io.spanlog.affiliate.DecodeResult;
import io.spanlog.affiliate.DecodedAffiliate;
import io.spanlog.discovery.AffiliateState;
import io.spanlog.discovery.ClusterState;
import io.spanlog.discovery.EndpointState;
import io.spanlog.history.HistoryException;
import io.spanlog.net.Endpoint;
import io.spanlog.peers.AffiliateViews;
import io.spanlog.peers.PeerEndpoint;
import io.spanlog.peers.PeerSpecs;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * A cluster's discovery state as the nodes see it: each affiliate's data and endpoints opened with
 * the cluster secret, as the agents' Watch does (an affiliate without data, or whose data does not
 * open, is no peer), into the {@link AffiliateView}s that {@link PeerSpecs#compute} takes.
 */
public final class AffiliateDecoding {
  private AffiliateDecoding() {}

  /**
   * The rows of {@code ctl history affiliates}; decrypted when {@code crypto} is given.
   *
   * @throws HistoryException when a secret is given and opens none of the cluster's affiliate data
   *     (a wrong secret), naming neither the secret nor the data
   */
  public static List<AffiliateRow> rows(DiscoveryReplay.Result replay, Optional<AffiliateCrypto> crypto) {
    List<AffiliateRow> rows = new ArrayList<>();
    int withData = 0;
    int opened = 0;
    for (AffiliateState a : replay.state().affiliates()) {
      Optional<AffiliateRow.Decoded> decoded = Optional.empty();
      Optional<String> problem = Optional.empty();
      if (crypto.isPresent() && !a.data().isEmpty()) {
        withData++;
        DecodeResult<DecodedAffiliate> r = crypto.get().decryptAffiliate(a.data().toByteArray());
        if (r instanceof DecodeResult.Ok<DecodedAffiliate> ok) {
          opened++;
          AffiliateView view = AffiliateViews.of(a, crypto.get()).orElseThrow();
          decoded = Optional.of(decoded(ok.value(), PeerSpecs.endpoints(view)));
        } else {
          problem = Optional.of(r.toString());
        }
      }
      rows.add(new AffiliateRow(a.id(), a.data().size(), a.endpoints().size(), a.expiry(),
          Optional.ofNullable(replay.lastChange().get(a.id())), decoded, problem));
    }
    if (crypto.isPresent() && withData > 0 && opened == 0) {
      throw new HistoryException("the secret given for cluster " + replay.cluster() + " opens none of its "
          + withData + " affiliates' data: it is not this cluster's secret (check the file in --secrets)");
    }
    return rows;
  }

  private static AffiliateRow.Decoded decoded(DecodedAffiliate d, List<PeerEndpoint> endpoints) {
    return new AffiliateRow.Decoded(d.hostname(), d.nodename(),
        d.kubeSpan().map(k -> k.address().getHostAddress()), d.kubeSpan().map(k -> k.publicKey()),
        d.addresses().stream().map(InetAddress::getHostAddress).toList(),
        endpoints.stream().map(e -> new AffiliateRow.EndpointRow(e.endpoint().toString(), e.source().wireName())).toList());
  }

}
