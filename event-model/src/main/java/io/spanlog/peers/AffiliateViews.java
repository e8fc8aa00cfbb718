package io.spanlog.peers;

import io.spanlog.affiliate.AffiliateCrypto;
import io.spanlog.affiliate.AffiliateView;
import io.spanlog.affiliate.DecodeResult;
import io.spanlog.affiliate.DecodedAffiliate;
import io.spanlog.discovery.AffiliateState;
import io.spanlog.discovery.ClusterState;
import io.spanlog.discovery.EndpointState;
import io.spanlog.net.Endpoint;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * The discovery state as a node sees it: each affiliate's data and endpoints opened with the
 * cluster secret under the rules of the agents' Watch (an affiliate without data, or whose data
 * does not open, is no peer; endpoints that do not open are skipped one by one, duplicates once),
 * into the {@link AffiliateView}s that {@link PeerSpecs#compute} takes. For every reader of a
 * folded discovery state that needs what the nodes compute (the observer's expected peer specs,
 * the history tools).
 */
public final class AffiliateViews {
  private AffiliateViews() {}

  /** The views of the affiliates whose data opens, in the state's order. */
  public static List<AffiliateView> of(ClusterState state, AffiliateCrypto crypto) {
    List<AffiliateView> views = new ArrayList<>();
    for (AffiliateState a : state.affiliates()) {
      of(a, crypto).ifPresent(views::add);
    }
    return views;
  }

  /** One affiliate as the nodes see it; empty when it has no data or its data does not open. */
  public static Optional<AffiliateView> of(AffiliateState a, AffiliateCrypto crypto) {
    if (a.data().isEmpty()) {
      return Optional.empty();
    }
    if (!(crypto.decryptAffiliate(a.data().toByteArray()) instanceof DecodeResult.Ok<DecodedAffiliate> ok)) {
      return Optional.empty();
    }
    LinkedHashSet<Endpoint> endpoints = new LinkedHashSet<>();
    for (EndpointState e : a.endpoints()) {
      if (crypto.decryptEndpoint(e.blob().toByteArray()) instanceof DecodeResult.Ok<Endpoint> opened) {
        endpoints.add(opened.value());
      }
    }
    return Optional.of(new AffiliateView(a.id(), ok.value(), List.copyOf(endpoints)));
  }
}
