package io.spanlog.observer.drift;

import static io.spanlog.observer.Fleet.A;
import static io.spanlog.observer.Fleet.B;
import static io.spanlog.observer.Fleet.C;
import static io.spanlog.observer.Fleet.t;
import static io.spanlog.observer.FleetDiscovery.joined;
import static io.spanlog.observer.FleetDiscovery.left;
import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.affiliate.AffiliateView;
import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.discovery.AffiliateState;
import io.spanlog.net.Endpoint;
import io.spanlog.observer.Fleet;
import io.spanlog.observer.FleetDiscovery;
import io.spanlog.peers.PeerSpec;
import io.spanlog.peers.PeerSpecs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DiscoveryProjectionTest {
  /** The store as a map by (cluster, affiliate id). */
  static final class MapStore implements DiscoveryProjection.Store {
    final Map<String, AffiliateState> byId = new TreeMap<>();
    int loads;

    @Override
    public List<AffiliateState> load(String clusterId) {
      loads++;
      return new ArrayList<>(byId.values());
    }

    @Override
    public void put(String clusterId, AffiliateState affiliate) {
      byId.put(affiliate.id(), affiliate);
    }

    @Override
    public void remove(String clusterId, String affiliateId) {
      byId.remove(affiliateId);
    }
  }

  final MapStore store = new MapStore();
  final AtomicReference<ClusterSecret> secret = new AtomicReference<>(FleetDiscovery.SECRET);
  final DiscoveryProjection projection =
      new DiscoveryProjection(store, c -> Optional.ofNullable(secret.get()), 8);

  @Test
  void aNodesExpectedSpecsAreWhatItsAgentComputes() {
    projection.apply(joined(A, t(0), "198.51.100.1:51820"));
    projection.apply(joined(B, t(1), "198.51.100.2:51820", "10.0.0.2:51820"));
    projection.apply(joined(C, t(2), "198.51.100.3:51820"));

    List<PeerSpec> expected = projection.expected(Fleet.CLUSTER, A.id(), A.key()).orElseThrow().peers();

    // what A's agent runs over its Watch view (every affiliate but its own, decrypted)
    List<AffiliateView> agentView = List.of(
        new AffiliateView(B.id(), FleetDiscovery.affiliate(B),
            List.of(Endpoint.parse("198.51.100.2:51820"), Endpoint.parse("10.0.0.2:51820"))),
        new AffiliateView(C.id(), FleetDiscovery.affiliate(C),
            List.of(Endpoint.parse("198.51.100.3:51820"))));
    assertThat(expected).isEqualTo(PeerSpecs.compute(A.key(), agentView).peers());
  }

  @Test
  void aLeaveRemovesThePeerAndTheStoreHoldsOneEntryPerAffiliate() {
    projection.apply(joined(A, t(0), "198.51.100.1:51820"));
    projection.apply(joined(B, t(1), "198.51.100.2:51820"));
    projection.apply(left(B, t(2)));

    assertThat(projection.expected(Fleet.CLUSTER, A.id(), A.key()).orElseThrow().peers()).isEmpty();
    assertThat(store.byId).containsOnlyKeys(A.id());
  }

  @Test
  void withoutTheSecretNothingIsExpectedAndASecretAddedLaterAppliesToTheWholeState() {
    secret.set(null);
    projection.apply(joined(A, t(0), "198.51.100.1:51820"));
    projection.apply(joined(B, t(1), "198.51.100.2:51820"));

    assertThat(projection.hasSecret(Fleet.CLUSTER)).isFalse();
    assertThat(projection.expected(Fleet.CLUSTER, A.id(), A.key())).isEmpty();

    secret.set(FleetDiscovery.SECRET);
    assertThat(projection.expected(Fleet.CLUSTER, A.id(), A.key()).orElseThrow().peers())
        .extracting(PeerSpec::publicKey).containsExactly(B.key());
  }

  @Test
  void aNodeTheDiscoveryStateDoesNotHoldIsNotJudged() {
    projection.apply(joined(B, t(1), "198.51.100.2:51820"));

    assertThat(projection.expected(Fleet.CLUSTER, A.id(), A.key())).isEmpty();
    assertThat(projection.expected(Fleet.CLUSTER, B.id(), A.key())).isEmpty(); // not its key
  }

  @Test
  void aRestartedTaskReadsTheStateBackFromTheStore() {
    projection.apply(joined(A, t(0), "198.51.100.1:51820"));
    projection.apply(joined(B, t(1), "198.51.100.2:51820"));

    DiscoveryProjection fresh = new DiscoveryProjection(store, c -> Optional.of(FleetDiscovery.SECRET), 8);
    fresh.apply(joined(C, t(2), "198.51.100.3:51820"));

    assertThat(fresh.expected(Fleet.CLUSTER, A.id(), A.key()).orElseThrow().peers())
        .extracting(PeerSpec::publicKey).containsExactlyInAnyOrder(B.key(), C.key());
  }
}
