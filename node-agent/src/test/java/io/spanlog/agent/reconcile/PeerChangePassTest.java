package io.spanlog.agent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.affiliate.AffiliateView;
import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.affiliate.DecodedAffiliate;
import io.spanlog.affiliate.KubeSpanInfo;
import io.spanlog.agent.discovery.ClusterView;
import io.spanlog.agent.status.PeerStatusRound;
import io.spanlog.agent.status.StatusTimings;
import io.spanlog.agent.wireguard.DeviceConfig;
import io.spanlog.agent.wireguard.DeviceState;
import io.spanlog.agent.wireguard.LinkConfig;
import io.spanlog.agent.wireguard.PeerEdits;
import io.spanlog.agent.wireguard.PeerReading;
import io.spanlog.agent.wireguard.SimulatedWireGuardDevice;
import io.spanlog.agent.wireguard.WireGuardDevice;
import io.spanlog.agent.wireguard.WireGuardSecret;
import io.spanlog.net.Endpoint;
import io.spanlog.net.IpText;
import io.spanlog.peers.PeerSpecIndex;
import io.spanlog.peers.PeerSpecs;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A Watch change of one affiliate edits that peer alone, without reading the device, and leaves the
 * device and the state as the whole pass would; conflicts fall back to the whole pass.
 */
class PeerChangePassTest {
  private static final ClusterSecret SECRET = ClusterSecret.fromBytes(new byte[32]);
  private static final StatusTimings TIMINGS =
      new StatusTimings(Duration.ofSeconds(275), Duration.ofSeconds(15), Duration.ofSeconds(30));
  private static final Instant T0 = Instant.parse("2026-11-27T00:00:00Z");

  private final WireGuardSecret key = WireGuardSecret.generatePrivateKey();
  private final ReconcilePass.Settings settings = new ReconcilePass.Settings(key, 51820, SECRET, true);
  private final PeerStatusRound round = new PeerStatusRound(TIMINGS);

  /** Counts reads and edits of a simulated device. */
  private static final class Counting implements WireGuardDevice {
    final SimulatedWireGuardDevice inner = SimulatedWireGuardDevice.standalone("kubespan");
    final AtomicInteger reads = new AtomicInteger();
    final List<PeerEdits> edits = new java.util.ArrayList<>();

    @Override public String name() { return inner.name(); }
    @Override public void apply(DeviceConfig config) { inner.apply(config); }
    @Override public DeviceState read() { reads.incrementAndGet(); return inner.read(); }
    @Override public void configureLink(LinkConfig link) { inner.configureLink(link); }
    @Override public void close() { inner.close(); }
    @Override public void edit(PeerEdits e) { edits.add(e); inner.edit(e); }
    @Override public boolean editsPeers() { return true; }
  }

  private static AffiliateView peer(int i, String... addresses) {
    String publicKey = WireGuardSecret.of(seed(i)).publicKey().base64();
    List<String> own = addresses.length == 0 ? List.of("10.9." + (i / 200) + "." + (i % 200 + 1)) : List.of(addresses);
    var data = new DecodedAffiliate("n" + i, own.stream().map(IpText::parse).toList(), "n" + i, "n" + i, "worker",
        "t", Optional.of(new KubeSpanInfo(publicKey, IpText.parse("fd00::" + Integer.toHexString(i + 1)), List.of(),
            List.of())));
    return new AffiliateView("n" + i, data, own.stream().map(a -> Endpoint.parse(a + ":51820")).toList());
  }

  private static byte[] seed(int i) {
    byte[] b = new byte[32];
    b[5] = (byte) i; // not byte 0 or 31: X25519 clamps their low and high bits
    b[6] = (byte) (i >> 8);
    b[7] = 1;
    return b;
  }

  private static ClusterView view(List<AffiliateView> affiliates) {
    Map<String, AffiliateView> byId = new TreeMap<>();
    affiliates.forEach(a -> byId.put(a.affiliateId(), a));
    return ClusterView.of(byId);
  }

  private record Fixture(Counting device, AgentState state, ClusterView view, PeerSpecIndex index) {}

  private Fixture wholePass(List<AffiliateView> affiliates) {
    var device = new Counting();
    var index = new PeerSpecIndex(key.publicKey().base64());
    ClusterView v = view(affiliates);
    AgentState s = new ReconcilePass(settings, round).run(AgentState.INITIAL, index.full(v.affiliates()), device, T0)
        .state();
    device.reads.set(0);
    return new Fixture(device, s, v, index);
  }

  private static List<String> peersOf(WireGuardDevice device) {
    return device.read().peers().stream().sorted(Comparator.comparing(p -> p.publicKey().base64()))
        .map(p -> p.publicKey().base64() + " " + p.allowedIps() + " " + p.endpoint()).toList();
  }

  @Test
  void aJoinEditsOnlyTheNewPeerWithoutReadingTheDeviceAndEndsAsTheWholePassWould() {
    List<AffiliateView> many = new java.util.ArrayList<>();
    for (int i = 0; i < 200; i++) {
      many.add(peer(i));
    }
    Fixture f = wholePass(many);
    List<AffiliateView> joined = new java.util.ArrayList<>(many);
    joined.add(peer(500));
    ClusterView after = view(joined);
    Instant t1 = T0.plusSeconds(1);

    var outcome = new PeerChangePass(settings, round).run(f.state(), f.view(), after, f.index(), f.device(), t1);

    assertThat(outcome).isPresent();
    assertThat(f.device().reads).hasValue(0);
    assertThat(f.device().edits).singleElement().satisfies(e -> {
      assertThat(e.size()).isEqualTo(1);
      assertThat(e.added()).singleElement().satisfies(p -> assertThat(p.endpoint()).isPresent());
    });
    // the same as a whole pass from the same start
    var whole = new Counting();
    new ReconcilePass(settings, round).run(AgentState.INITIAL, many, whole, T0);
    var wholeState = new ReconcilePass(settings, round).run(f.state(), joined, whole, t1).state();
    assertThat(outcome.get().state().specs()).isEqualTo(PeerSpecs.compute(key.publicKey().base64(), joined));
    // the joined peer's status as the whole pass makes it; the others keep the last pass's (their rule
    // texts count seconds from it), in the same states
    String joinedKey = peer(500).affiliate().kubeSpan().orElseThrow().publicKey();
    assertThat(outcome.get().state().statuses().get(joinedKey)).isEqualTo(wholeState.statuses().get(joinedKey));
    assertThat(outcome.get().state().statuses().keySet()).isEqualTo(wholeState.statuses().keySet());
    outcome.get().state().statuses().forEach((k, st) -> assertThat(st.state()).isEqualTo(wholeState.statuses().get(k).state()));
    assertThat(peersOf(f.device())).isEqualTo(peersOf(whole));
  }

  @Test
  void aLeaveRemovesThePeerAndAnAddressChangeReplacesOnlyItsAllowedIps() {
    Fixture f = wholePass(List.of(peer(1), peer(2), peer(3)));
    ClusterView left = view(List.of(peer(1), peer(3)));
    var pass = new PeerChangePass(settings, round);
    var afterLeave = pass.run(f.state(), f.view(), left, f.index(), f.device(), T0.plusSeconds(1)).orElseThrow();
    assertThat(afterLeave.edits().removed()).hasSize(1);
    assertThat(f.device().inner.read().peers()).hasSize(2);

    ClusterView moved = view(List.of(peer(1), peer(3, "10.50.0.3")));
    var afterMove = pass.run(afterLeave.state(), left, moved, f.index(), f.device(), T0.plusSeconds(2)).orElseThrow();
    assertThat(afterMove.edits().changed()).singleElement()
        .satisfies(c -> assertThat(c.after().allowedIps().toString()).contains("10.50.0.3"));
    PeerReading p3 = f.device().inner.read().peers().stream()
        .filter(p -> p.publicKey().base64().equals(peer(3).affiliate().kubeSpan().orElseThrow().publicKey()))
        .findFirst().orElseThrow();
    assertThat(p3.allowedIps().toString()).contains("10.50.0.3").doesNotContain("10.9.0.4");
    assertThat(f.device().reads).hasValue(0);
  }

  @Test
  void aConflictOrABurstFallsBackToTheWholePass() {
    Fixture f = wholePass(List.of(peer(1), peer(2)));
    var pass = new PeerChangePass(settings, round);
    // peer 3 claims peer 1's node address: which one stays is the full compute's order
    ClusterView clash = view(List.of(peer(1), peer(2), peer(3, "10.9.0.2")));
    assertThat(pass.decide(f.state(), f.view(), clash, f.index(), T0)).isEmpty();

    Fixture g = wholePass(List.of(peer(1)));
    List<AffiliateView> burst = new java.util.ArrayList<>();
    for (int i = 0; i <= PeerChangePass.MAX_CHANGED + 1; i++) {
      burst.add(peer(i));
    }
    assertThat(pass.decide(g.state(), g.view(), view(burst), g.index(), T0)).isEmpty();
    assertThat(g.device().edits).isEmpty();
  }
}
