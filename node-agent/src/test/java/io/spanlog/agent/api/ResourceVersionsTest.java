package io.spanlog.agent.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.agent.identity.KubeSpanIdentity;
import io.spanlog.agent.identity.LocalNode;
import io.spanlog.agent.reconcile.AgentState;
import io.spanlog.agent.status.HarvestedEndpoint;
import io.spanlog.agent.status.PeerStatus;
import io.spanlog.agent.wireguard.WireGuardSecret;
import io.spanlog.events.EndpointSource;
import io.spanlog.events.PeerState;
import io.spanlog.net.Endpoint;
import io.spanlog.net.IpPrefix;
import io.spanlog.net.IpText;
import io.spanlog.peers.PeerEndpoint;
import io.spanlog.peers.PeerSpec;
import io.spanlog.peers.PeerSpecSet;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** talosctl's VERSION: it counts changes of a resource, not passes. */
class ResourceVersionsTest {
  private static final Instant T = Instant.parse("2026-11-26T02:10:41Z");
  private static final LocalNode SELF = new LocalNode("node-1-id", new KubeSpanIdentity(IpPrefix.parse("fd00::1/128"),
      IpPrefix.parse("fd00::/64"), WireGuardSecret.generatePrivateKey()), "node-1", "node-1", "cluster", "kubespan", 51820);

  private static PeerSpec spec(String key, String endpoint) {
    return new PeerSpec(key, "label-" + key, IpText.parse("fd00::2"), List.of(IpPrefix.parse("fd00::2/128")),
        List.of(new PeerEndpoint(Endpoint.parse(endpoint), EndpointSource.ADVERTISED)), "aff-" + key);
  }

  private static PeerStatus status(String key, long rx) {
    return new PeerStatus(key, "label-" + key, Optional.of(Endpoint.parse("10.0.0.2:51820")),
        Optional.of(Endpoint.parse("10.0.0.2:51820")), Optional.of(T), Optional.of(T), rx, 0, PeerState.UP, "handshake");
  }

  private static AgentState state(List<PeerSpec> specs, List<PeerStatus> statuses, List<HarvestedEndpoint> harvested,
      Instant at) {
    var byKey = new TreeMap<String, PeerStatus>();
    statuses.forEach(s -> byKey.put(s.publicKey(), s));
    return new AgentState(new PeerSpecSet(specs, List.of()), byKey, harvested, Optional.of(at));
  }

  @Test
  void aResourceStartsAtOneAndAPassThatLeavesItAsItWasKeepsItsVersion() {
    AgentState s = state(List.of(spec("A", "10.0.0.2:51820")), List.of(status("A", 10)), List.of(), T);
    ResourceVersions v = ResourceVersions.NONE.next(SELF, s);
    assertThat(v.peerSpec("A")).isEqualTo(1);
    assertThat(v.peerStatus("A")).isEqualTo(1);
    assertThat(v.identity()).isEqualTo(1);
    // ten more passes with the same content (a new AgentState each time, a later reconciledAt)
    for (int i = 1; i <= 10; i++) {
      v = v.next(SELF, state(List.of(spec("A", "10.0.0.2:51820")), List.of(status("A", 10)), List.of(), T.plusSeconds(i)));
    }
    assertThat(v.peerSpec("A")).isEqualTo(1);
    assertThat(v.peerStatus("A")).isEqualTo(1);
    assertThat(v.identity()).isEqualTo(1);
  }

  @Test
  void eachChangeOfContentAddsOneToThatResourceOnly() {
    ResourceVersions v = ResourceVersions.NONE.next(SELF,
        state(List.of(spec("A", "10.0.0.2:51820"), spec("B", "10.0.0.3:51820")), List.of(status("A", 10)), List.of(), T));
    v = v.next(SELF, state(List.of(spec("A", "10.0.0.9:51820"), spec("B", "10.0.0.3:51820")), List.of(status("A", 20)),
        List.of(new HarvestedEndpoint("A", "aff-A", Endpoint.parse("10.0.0.9:51820"))), T.plusSeconds(1)));
    v = v.next(SELF, state(List.of(spec("A", "10.0.0.9:51820"), spec("B", "10.0.0.3:51820")), List.of(status("A", 30)),
        List.of(new HarvestedEndpoint("A", "aff-A", Endpoint.parse("10.0.0.9:51820"))), T.plusSeconds(2)));
    assertThat(v.peerSpec("A")).isEqualTo(2);
    assertThat(v.peerSpec("B")).isEqualTo(1);
    assertThat(v.peerStatus("A")).isEqualTo(3); // RX moved twice, as Talos's peer status does
    assertThat(v.endpoints("A")).isEqualTo(1);
    assertThat(v.state().reconciledAt()).contains(T.plusSeconds(2));
  }

  @Test
  void aRenamedNodeChangesItsIdentityAndAResourceThatCameBackStartsAgain() {
    AgentState with = state(List.of(spec("A", "10.0.0.2:51820")), List.of(), List.of(), T);
    AgentState without = state(List.of(), List.of(), List.of(), T);
    ResourceVersions v = ResourceVersions.NONE.next(SELF, with).next(SELF, with);
    LocalNode renamed = new LocalNode(SELF.nodeId(), SELF.identity(), "node-1b", "node-1b", SELF.clusterId(),
        SELF.interfaceName(), SELF.listenPort());
    v = v.next(renamed, without);
    assertThat(v.identity()).isEqualTo(2);
    assertThat(v.peerSpec("A")).isZero();
    assertThat(v.next(renamed, with).peerSpec("A")).isEqualTo(1);
  }
}
