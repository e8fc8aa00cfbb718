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
    assertThat(RefreshPlan.changed(sent, Optional.of(local(Optional.empty(), List.of())), Map.of())).isFalse();
    assertThat(RefreshPlan.changed(sent, Optional.of(local(Optional.of("203.0.113.9"), List.of())), Map.of())).isTrue();
    var harvest = RefreshPlan.group(List.of(new HarvestedEndpoint("K", "peer", Endpoint.parse("1.2.3.4:5"))));
    assertThat(RefreshPlan.changed(sent, Optional.of(a), harvest)).isTrue();
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
