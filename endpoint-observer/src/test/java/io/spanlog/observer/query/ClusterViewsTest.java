package io.spanlog.observer.query;

import static io.spanlog.observer.Fleet.A;
import static io.spanlog.observer.Fleet.B;
import static io.spanlog.observer.Fleet.C;
import static io.spanlog.observer.Fleet.CLUSTER;
import static io.spanlog.observer.Fleet.t;
import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.events.EndpointSource;
import io.spanlog.events.LinkMetricsWindow;
import io.spanlog.events.PeerState;
import io.spanlog.observer.Fleet;
import io.spanlog.observer.links.FlapHistory;
import io.spanlog.observer.links.LinkKey;
import io.spanlog.observer.links.LinkRecord;
import io.spanlog.observer.nodes.NodeRecord;
import io.spanlog.observer.reachability.ReachabilityCell;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClusterViewsTest {
  static LinkRecord link(Fleet.Node node, Fleet.Node peer, PeerState state, FlapHistory flaps) {
    return new LinkRecord(node.id(), peer.id(), state, t(30), true, t(600),
        Optional.of("198.51.100.9:51820"), EndpointSource.PUBLIC_IP, "handshake 12.0 s ago", 10,
        20, flaps);
  }

  static LinkKey key(Fleet.Node node, Fleet.Node peer) {
    return new LinkKey(CLUSTER, node.key(), peer.key());
  }

  static ReachabilityCell cell(Fleet.Node node, Fleet.Node peer, PeerState s, Optional<Instant> asym) {
    return new ReachabilityCell(node.id(), peer.id(), s, t(30), asym);
  }

  @Test
  void aLinkShowsItsStateEndpointRatesFlapsAndAsymmetry() {
    FlapHistory flapping = new FlapHistory(List.of(t(60), t(120), t(180), t(240), t(300)),
        Optional.of(t(300)), Optional.of(t(300)), 5);
    LinkMetricsWindow w = new LinkMetricsWindow(A.id(), A.key(), B.key(), B.id(), t(0), t(60),
        6000, 600, 100.0, 10.0, 2, 0, 0);
    Answers.Links answer = ClusterViews.links(CLUSTER,
        List.of(Map.entry(key(B, A), link(B, A, PeerState.DOWN, FlapHistory.NONE)),
            Map.entry(key(A, B), link(A, B, PeerState.UP, flapping))),
        List.of(Map.entry(key(A, B), cell(A, B, PeerState.UP, Optional.of(t(200))))),
        k -> k.equals(key(A, B)) ? Optional.of(w) : Optional.empty());

    assertThat(answer.links()).extracting(LinkView::nodeName, LinkView::peerName)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("node-a", "node-b"),
            org.assertj.core.groups.Tuple.tuple("node-b", "node-a"));
    LinkView ab = answer.links().get(0);
    assertThat(ab.state()).isEqualTo(PeerState.UP);
    assertThat(ab.rxBytesPerSecond()).contains(100.0);
    assertThat(ab.flaps()).isEqualTo(5);
    assertThat(ab.flappingSince()).contains(t(300));
    assertThat(ab.asymmetricSince()).contains(t(200));
    assertThat(answer.links().get(1).rxBytesPerSecond()).isEmpty();
  }

  @Test
  void theMatrixNamesEveryNodeOnceAndOrdersCellsByName() {
    Answers.Matrix m = ClusterViews.matrix(CLUSTER, List.of(
        Map.entry(key(C, A), cell(C, A, PeerState.UP, Optional.empty())),
        Map.entry(key(A, C), cell(A, C, PeerState.DOWN, Optional.empty())),
        Map.entry(key(A, B), cell(A, B, PeerState.UP, Optional.empty()))));

    assertThat(m.nodes()).extracting(Answers.MatrixNode::name)
        .containsExactly("node-a", "node-b", "node-c");
    assertThat(m.cells()).extracting(Answers.MatrixCell::fromPublicKey, Answers.MatrixCell::toPublicKey)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(A.key(), B.key()),
            org.assertj.core.groups.Tuple.tuple(A.key(), C.key()),
            org.assertj.core.groups.Tuple.tuple(C.key(), A.key()));
  }

  @Test
  void aNodeIsNamedByKeyAffiliateIdOrNodeName() {
    List<Map.Entry<LinkKey, LinkRecord>> links =
        List.of(Map.entry(key(A, B), link(A, B, PeerState.UP, FlapHistory.NONE)));

    assertThat(ClusterViews.resolve(B.key(), links)).contains(B.key());
    assertThat(ClusterViews.resolve("node-a", links)).contains(A.key());
    assertThat(ClusterViews.resolve("node-b", links)).contains(B.key());
    assertThat(ClusterViews.resolve("node-z", links)).isEmpty();
  }

  @Test
  void theCensusCountsEachClusterApart() {
    FlapHistory flapping = new FlapHistory(List.of(), Optional.of(t(1)), Optional.empty(), 0);
    LinkKey other = new LinkKey("other", A.key(), B.key());
    Map<String, Census.Counts> counts = Census.of(
        List.of(Map.entry(key(A, B), link(A, B, PeerState.UP, flapping)),
            Map.entry(key(B, A), link(B, A, PeerState.DOWN, FlapHistory.NONE)),
            Map.entry(other, link(A, B, PeerState.UP, FlapHistory.NONE))),
        List.of(Map.entry(key(A, B), cell(A, B, PeerState.UP, Optional.of(t(9))))),
        List.of(Map.entry(io.spanlog.observer.topology.StoreKeys.node(CLUSTER, A.id()),
                new NodeRecord(A.key(), t(1), t(1), false, true)),
            Map.entry(io.spanlog.observer.topology.StoreKeys.node(CLUSTER, B.id()),
                new NodeRecord(B.key(), t(1), t(1), true, false))));

    Census.Counts c = counts.get(CLUSTER);
    assertThat(c.linksByState()).containsEntry(PeerState.UP, 1).containsEntry(PeerState.DOWN, 1)
        .containsEntry(PeerState.UNKNOWN, 0);
    assertThat(c.flapping()).isEqualTo(1);
    assertThat(c.asymmetric()).isEqualTo(1);
    assertThat(c.nodes()).isEqualTo(2);
    assertThat(c.silent()).isEqualTo(1);
    assertThat(c.withoutDiscovery()).isEqualTo(1);
    assertThat(counts.get("other").linksByState()).containsEntry(PeerState.UP, 1);
    assertThat(counts.get("other").nodes()).isZero();
  }
}
