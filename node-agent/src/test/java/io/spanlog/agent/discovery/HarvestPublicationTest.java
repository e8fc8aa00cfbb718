package io.spanlog.agent.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.affiliate.AffiliateView;
import io.spanlog.affiliate.DecodedAffiliate;
import io.spanlog.net.Endpoint;
import io.spanlog.net.IpText;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The rule of which harvested endpoints a node publishes (talos#8054). */
class HarvestPublicationTest {
  private static final Endpoint OWN = Endpoint.parse("10.0.0.2:51820");
  private static final Endpoint NAT = Endpoint.parse("198.51.100.7:61000");

  private static ClusterView view(AffiliateView... affiliates) {
    return ClusterView.of(Stream.of(affiliates).collect(java.util.stream.Collectors.toMap(AffiliateView::affiliateId, a -> a)));
  }

  private static AffiliateView peer(Endpoint... listed) {
    return new AffiliateView("peer", new DecodedAffiliate("peer", List.of(IpText.parse("10.0.0.2")), "peer", "peer",
        "worker", "t", Optional.empty()), List.of(listed));
  }

  @Test
  void anEndpointThePeerListsForItselfIsNotPublished() {
    assertThat(HarvestPublication.select(Map.of("peer", List.of(OWN)), view(peer(OWN)), Map.of())).isEmpty();
  }

  @Test
  void anEndpointNobodyListsIsPublished() {
    assertThat(HarvestPublication.select(Map.of("peer", List.of(NAT)), view(peer(OWN)), Map.of()))
        .isEqualTo(Map.of("peer", List.of(NAT)));
  }

  @Test
  void anEndpointAnotherNodePublishedIsNotPublishedAgain() {
    // the view merges the peer's own endpoints and those harvested for it: NAT is there, and not ours
    assertThat(HarvestPublication.select(Map.of("peer", List.of(NAT)), view(peer(OWN, NAT)), Map.of())).isEmpty();
  }

  @Test
  void anEndpointThisNodePublishesStaysPublishedWhenItComesBackOnWatch() {
    var ours = Map.of("peer", List.of(NAT));
    assertThat(HarvestPublication.select(Map.of("peer", List.of(NAT)), view(peer(OWN, NAT)), ours)).isEqualTo(ours);
  }

  @Test
  void anEndpointNoLongerHarvestedOrForAnAffiliateNotInTheViewIsDropped() {
    var ours = Map.of("peer", List.of(NAT));
    assertThat(HarvestPublication.select(Map.of(), view(peer(OWN, NAT)), ours)).isEmpty();
    assertThat(HarvestPublication.select(Map.of("gone", List.of(NAT)), view(peer(OWN)), Map.of())).isEmpty();
  }
}
