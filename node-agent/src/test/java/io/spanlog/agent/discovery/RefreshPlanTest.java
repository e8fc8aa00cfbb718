package io.spanlog.agent.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.affiliate.AffiliateCrypto;
import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.agent.config.EndpointFilter;
import io.spanlog.agent.status.HarvestedEndpoint;
import io.spanlog.net.Endpoint;
import io.spanlog.net.IpPrefix;
import io.spanlog.net.IpText;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RefreshPlanTest {
  private final AffiliateCrypto crypto = new AffiliateCrypto(ClusterSecret.fromBytes(new byte[32]));

  private static LocalAffiliate local(Optional<String> publicIp, List<String> filter) {
    return LocalAffiliates.build(
        "me", "me.example", "me",
        List.of(IpText.parse("192.168.1.10"), IpText.parse("fd00::5"), IpText.parse("fe80::1"),
            IpText.parse("127.0.0.1"), IpText.parse("10.5.0.2")),
        "PUB", IpText.parse("fd00::5"), List.of(IpPrefix.parse("10.244.0.0/24")),
        EndpointFilter.parse(filter), 40000, publicIp.map(IpText::parse));
  }

  @Test
  void theLocalAffiliateAdvertisesRoutableAddressesAndThePublicIpOnTheAnnouncedPort() {
    LocalAffiliate a = local(Optional.of("203.0.113.9"), List.of("!10.0.0.0/8"));
    assertThat(a.data().addresses()).extracting(IpText::format).containsExactly("192.168.1.10", "10.5.0.2");
    assertThat(a.endpoints()).extracting(Endpoint::toString).containsExactly("192.168.1.10:40000", "203.0.113.9:40000");
    assertThat(a.data().kubeSpan().orElseThrow().additionalAddresses()).extracting(Object::toString).containsExactly("10.244.0.0/24");
  }

  @Test
  void onlyPlaintextChangesCountAsChanges() {
    LocalAffiliate a = local(Optional.empty(), List.of());
    var sent = new RefreshPlan.Sent(Optional.of(a), Map.of());
    assertThat(RefreshPlan.due(sent, Optional.of(local(Optional.empty(), List.of())), Map.of(), false).isEmpty()).isTrue();
    assertThat(RefreshPlan.due(sent, Optional.of(local(Optional.of("203.0.113.9"), List.of())), Map.of(), false).own())
        .isTrue();
    var harvest = RefreshPlan.group(List.of(new HarvestedEndpoint("K", "peer", Endpoint.parse("1.2.3.4:5"))));
    assertThat(RefreshPlan.due(sent, Optional.of(a), harvest, false)).isEqualTo(new RefreshPlan.Due(false, Set.of("peer")));
  }

  @Test
  void betweenTtlRefreshesOnlyANewEndpointIsSentAndOnlyForItsPeer() {
    LocalAffiliate a = local(Optional.empty(), List.of());
    Map<String, List<Endpoint>> harvest = Map.of(
        "p1", List.of(Endpoint.parse("198.51.100.1:61000")), "p2", List.of(Endpoint.parse("198.51.100.2:61000")));
    var sent = RefreshPlan.afterSending(RefreshPlan.Sent.NOTHING, Optional.of(a), harvest,
        RefreshPlan.due(RefreshPlan.Sent.NOTHING, Optional.of(a), harvest, true));
    // unchanged: nothing, however often the passes hand it over
    assertThat(RefreshPlan.due(sent, Optional.of(a), harvest, false).isEmpty()).isTrue();
    // an endpoint gone: nothing to send (it expires); a new one for p2: p2 only, without the own affiliate
    assertThat(RefreshPlan.due(sent, Optional.of(a), Map.of("p2", harvest.get("p2")), false).isEmpty()).isTrue();
    var p2moved = Map.of("p1", harvest.get("p1"), "p2", List.of(Endpoint.parse("198.51.100.2:62000")));
    var due = RefreshPlan.due(sent, Optional.of(a), p2moved, false);
    assertThat(due).isEqualTo(new RefreshPlan.Due(false, Set.of("p2")));
    assertThat(RefreshPlan.updates("c", "me", a, p2moved, due, Duration.ofMinutes(30), crypto))
        .extracting(r -> r.getAffiliateId()).containsExactly("p2");
    // the TTL refresh sends everything again
    assertThat(RefreshPlan.due(sent, Optional.of(a), harvest, true)).isEqualTo(new RefreshPlan.Due(true, Set.of("p1", "p2")));
  }

  @Test
  void updatesCarryTheOwnDataFirstThenEndpointsOnlyForPeers() {
    LocalAffiliate a = local(Optional.empty(), List.of());
    var harvest = RefreshPlan.group(List.of(
        new HarvestedEndpoint("K1", "peer-1", Endpoint.parse("198.51.100.1:61000")),
        new HarvestedEndpoint("K0", "me", Endpoint.parse("198.51.100.2:1"))));
    var requests = RefreshPlan.updates("c", "me", a, harvest, Duration.ofMinutes(30), crypto);
    assertThat(requests).hasSize(2);
    var own = requests.get(0);
    assertThat(own.getAffiliateId()).isEqualTo("me");
    assertThat(own.getTtl().getSeconds()).isEqualTo(1800);
    assertThat(crypto.decryptAffiliate(own.getAffiliateData().toByteArray()).asOptional()).contains(a.data());
    assertThat(own.getAffiliateEndpointsList()).hasSize(a.endpoints().size());
    var peer = requests.get(1);
    assertThat(peer.getAffiliateId()).isEqualTo("peer-1");
    assertThat(peer.hasAffiliateData()).isFalse();
    assertThat(crypto.decryptEndpoint(peer.getAffiliateEndpoints(0).toByteArray()).asOptional())
        .contains(Endpoint.parse("198.51.100.1:61000"));
  }
}
