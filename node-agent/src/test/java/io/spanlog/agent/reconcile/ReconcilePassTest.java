package io.spanlog.agent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.affiliate.AffiliateView;
import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.affiliate.DecodedAffiliate;
import io.spanlog.affiliate.KubeSpanInfo;
import io.spanlog.agent.status.PeerStatusRound;
import io.spanlog.agent.status.StatusTimings;
import io.spanlog.infra.testing.ManualClock;
import io.spanlog.agent.wireguard.SimulatedNetwork;
import io.spanlog.agent.wireguard.SimulatedWireGuardDevice;
import io.spanlog.agent.wireguard.WireGuardSecret;
import io.spanlog.events.PeerState;
import io.spanlog.net.Endpoint;
import io.spanlog.net.IpText;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Passes of two nodes on a simulated network (the device is the simulated one, named so). */
class ReconcilePassTest {
  private static final ClusterSecret SECRET = ClusterSecret.fromBytes(new byte[32]);
  private static final StatusTimings TIMINGS =
      new StatusTimings(Duration.ofSeconds(275), Duration.ofSeconds(15), Duration.ofSeconds(30));

  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-26T00:00:00Z"));
  private final SimulatedNetwork network = new SimulatedNetwork(clock);

  private record Node(WireGuardSecret key, SimulatedWireGuardDevice device, ReconcilePass cycle, AffiliateView view) {}

  private Node node(String name, String... underlay) throws Exception {
    WireGuardSecret key = WireGuardSecret.generatePrivateKey();
    Set<InetAddress> addresses = new java.util.LinkedHashSet<>();
    for (String u : underlay) {
      addresses.add(InetAddress.getByName(u));
    }
    var device = SimulatedWireGuardDevice.on(network, name, addresses);
    var cycle = new ReconcilePass(new ReconcilePass.Settings(key, 51820, SECRET, true),
        new PeerStatusRound(TIMINGS));
    InetAddress overlay = IpText.parse("fd00::" + name.hashCode() % 1000);
    var data = new DecodedAffiliate(name, List.copyOf(addresses), name, name, "worker", "t",
        Optional.of(new KubeSpanInfo(key.publicKey().base64(), overlay, List.of(), List.of())));
    var view = new AffiliateView(name, data, addresses.stream().map(a -> new Endpoint(a, 51820)).toList());
    return new Node(key, device, cycle, view);
  }

  @Test
  void peersGoUpAreHarvestedAndCycleToTheSecondEndpointWhenTheFirstIsCut() throws Exception {
    Node a = node("a", "10.1.0.1", "10.2.0.1");
    Node b = node("b", "10.1.0.2", "10.2.0.2");
    AgentState sa = AgentState.INITIAL;
    AgentState sb = AgentState.INITIAL;

    sa = a.cycle().run(sa, List.of(b.view()), a.device(), clock.instant()).state();
    sb = b.cycle().run(sb, List.of(a.view()), b.device(), clock.instant()).state();
    String keyB = b.key().publicKey().base64();
    assertThat(sa.specs().peers()).singleElement().satisfies(p -> assertThat(p.publicKey()).isEqualTo(keyB));
    assertThat(sa.statuses().get(keyB).lastUsedEndpoint()).contains(Endpoint.parse("10.1.0.2:51820"));

    clock.advance(Duration.ofSeconds(5));
    var outcome = a.cycle().run(sa, List.of(b.view()), a.device(), clock.instant());
    sa = outcome.state();
    assertThat(sa.statuses().get(keyB).state()).isEqualTo(PeerState.UP);
    assertThat(outcome.harvested()).singleElement()
        .satisfies(h -> assertThat(h.affiliateId()).isEqualTo("b"));
    assertThat(outcome.samples()).singleElement().satisfies(s -> assertThat(s.state()).isEqualTo(PeerState.UP));

    // the first underlay network fails: no handshakes over it in either direction
    network.cut(InetAddress.getByName("10.1.0.2"));
    clock.advance(Duration.ofSeconds(300));
    sa = a.cycle().run(sa, List.of(b.view()), a.device(), clock.instant()).state();
    assertThat(sa.statuses().get(keyB).state()).isEqualTo(PeerState.UNKNOWN); // just cycled
    assertThat(sa.statuses().get(keyB).lastUsedEndpoint()).contains(Endpoint.parse("10.2.0.2:51820"));
    clock.advance(Duration.ofSeconds(5));
    sa = a.cycle().run(sa, List.of(b.view()), a.device(), clock.instant()).state();
    assertThat(sa.statuses().get(keyB).state()).isEqualTo(PeerState.UP);

    // the peer leaves: it is removed from the device
    sa = a.cycle().run(sa, List.of(), a.device(), clock.instant()).state();
    assertThat(a.device().read().peers()).isEmpty();
    assertThat(sa.statuses()).isEmpty();
  }

  @Test
  void theDeviceGetsTheClusterSecretAsPresharedKeyAndA25sKeepalive() throws Exception {
    Node a = node("a", "10.1.0.1");
    Node b = node("b", "10.1.0.2");
    a.cycle().run(AgentState.INITIAL, List.of(b.view()), a.device(), clock.instant());
    var peer = a.device().read().peers().get(0);
    assertThat(peer.persistentKeepalive()).isEqualTo(Duration.ofSeconds(25));
    var config = DesiredDevice.of(a.key(), 51820, SECRET, a.cycle().run(AgentState.INITIAL, List.of(b.view()),
        a.device(), clock.instant()).state().specs().peers(), java.util.Map.of());
    assertThat(config.peers().get(0).presharedKey()).contains(WireGuardSecret.of(SECRET.keyBytes()));
    assertThat(config.peers().get(0).endpoint()).isEmpty();
  }

  @Test
  void anAffiliateWithAMalformedKeyIsIgnoredWithAWarningAndTheOthersStillBecomePeers() throws Exception {
    Node a = node("a", "10.1.0.1");
    Node b = node("b", "10.1.0.2");
    // sorts before b's key and claims b's addresses: were it kept, b would be dropped as overlapping
    var bad = new AffiliateView("bad", new DecodedAffiliate("bad", List.of(IpText.parse("10.1.0.2")), "bad", "bad",
        "worker", "t", Optional.of(new KubeSpanInfo("++not-a-key", b.view().affiliate().kubeSpan().orElseThrow()
            .address(), List.of(), List.of()))), List.of(Endpoint.parse("10.1.0.2:51820")));
    var outcome = a.cycle().run(AgentState.INITIAL, List.of(bad, b.view()), a.device(), clock.instant());
    assertThat(outcome.state().specs().peers()).extracting(p -> p.affiliateId()).containsExactly("b");
    assertThat(outcome.state().specs().warnings()).singleElement().satisfies(w -> {
      assertThat(w.affiliateId()).isEqualTo("bad");
      assertThat(w.message()).contains("not the base64 of 32 bytes");
    });
    assertThat(a.device().read().peers()).extracting(p -> p.publicKey().base64())
        .containsExactly(b.key().publicKey().base64());
  }
}
