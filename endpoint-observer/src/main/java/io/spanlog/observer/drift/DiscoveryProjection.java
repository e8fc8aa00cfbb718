package io.spanlog.observer.drift;

import io.spanlog.affiliate.AffiliateCrypto;
import io.spanlog.affiliate.AffiliateView;
import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.discovery.AffiliateState;
import io.spanlog.discovery.ClusterState;
import io.spanlog.discovery.DiscoveryFold;
import io.spanlog.events.AffiliateDeleted;
import io.spanlog.events.AffiliateExpired;
import io.spanlog.events.AffiliateUpdated;
import io.spanlog.events.EndpointsExpired;
import io.spanlog.events.Envelope;
import io.spanlog.events.Event;
import io.spanlog.peers.AffiliateViews;
import io.spanlog.peers.PeerSpecSet;
import io.spanlog.peers.PeerSpecs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The discovery state of the clusters of one stream task, and every node's expected peer specs
 * from it.
 *
 * <p>The state is the discovery service's own: {@link DiscoveryFold} over the cluster's discovery
 * events, opaque (encrypted) as the service keeps it, one entry per affiliate in a
 * {@link Store} (a Kafka Streams store and its changelog). It is folded with or without the
 * cluster's secret, so a secret registered later applies to the whole state at once.
 *
 * <p>A node's expected peer specs are what its agent computes: the cluster's affiliates opened
 * with the cluster secret under the agent's rules ({@link AffiliateViews}), its own affiliate left
 * out, then {@link PeerSpecs#compute}. They are computed when the node's batch is
 * judged, not stored per node: a join or an endpoint refresh changes the specs of every node of
 * the cluster, so per-node entries would cost a write per node per discovery event.
 *
 * <p>Folded states and decrypted affiliates are cached for the clusters used last; the cache is
 * only a copy of the store (one instance per task, dropped when the task is re-initialised).
 */
public final class DiscoveryProjection {
  /** Where the folded state lives. */
  public interface Store {
    /** Every affiliate of a cluster, in creation order where known. */
    List<AffiliateState> load(String clusterId);

    void put(String clusterId, AffiliateState affiliate);

    void remove(String clusterId, String affiliateId);
  }

  /** A cluster's affiliates decrypted with one secret, by affiliate id. */
  private record Views(ClusterSecret secret, AffiliateCrypto crypto, Map<String, AffiliateView> byId) {}

  private final Store store;
  private final Function<String, Optional<ClusterSecret>> secrets;
  private final Map<String, ClusterState> states;
  private final Map<String, Views> views;

  /**
   * @param secrets a cluster's secret, when registered
   * @param cachedClusters how many clusters' states and decrypted affiliates to keep in memory
   */
  public DiscoveryProjection(Store store, Function<String, Optional<ClusterSecret>> secrets,
      int cachedClusters) {
    this.store = Objects.requireNonNull(store, "store");
    this.secrets = Objects.requireNonNull(secrets, "secrets");
    this.states = lru(cachedClusters);
    this.views = lru(cachedClusters);
  }

  /** Folds one discovery event of its cluster (other events change nothing). */
  public void apply(Envelope event) {
    Optional<String> id = affiliateOf(event.payload());
    if (id.isEmpty()) {
      return;
    }
    String cluster = event.clusterId();
    ClusterState before = state(cluster);
    ClusterState after = DiscoveryFold.apply(before, event).state();
    Optional<AffiliateState> was = before.affiliate(id.get());
    Optional<AffiliateState> now = after.affiliate(id.get());
    if (was.equals(now)) {
      return;
    }
    // a refresh that only extends expiries changes the state (later expiry events are judged
    // against it) but not what anyone sees: keep it, decrypt nothing
    now.ifPresentOrElse(a -> store.put(cluster, a), () -> store.remove(cluster, id.get()));
    states.put(cluster, after);
    Views v = views.get(cluster);
    if (v != null && !sameContent(was, now)) {
      Optional<AffiliateView> view = now.flatMap(a -> AffiliateViews.of(a, v.crypto()));
      view.ifPresentOrElse(x -> v.byId().put(x.affiliateId(), x), () -> v.byId().remove(id.get()));
    }
  }

  private static Optional<String> affiliateOf(Event payload) {
    if (payload instanceof AffiliateUpdated u) {
      return Optional.of(u.affiliateId());
    } else if (payload instanceof AffiliateDeleted d) {
      return Optional.of(d.affiliateId());
    } else if (payload instanceof AffiliateExpired e) {
      return Optional.of(e.affiliateId());
    } else if (payload instanceof EndpointsExpired e) {
      return Optional.of(e.affiliateId());
    }
    return Optional.empty();
  }

  private static boolean sameContent(Optional<AffiliateState> a, Optional<AffiliateState> b) {
    return a.isPresent() == b.isPresent() && (a.isEmpty()
        || (a.get().data().equals(b.get().data())
            && a.get().endpointBlobs().equals(b.get().endpointBlobs())));
  }

  /** Whether the cluster's secret is registered (without it there are no expected specs). */
  public boolean hasSecret(String clusterId) {
    return secrets.apply(clusterId).isPresent();
  }

  /**
   * The peer specs node {@code nodeId} (public key {@code nodePublicKey}) should have; empty
   * without the cluster's secret, or when the discovery state does not hold the node's own
   * affiliate (it has not published, has expired, or the observer has not seen the cluster's
   * discovery history): then its device is not judged.
   */
  public Optional<PeerSpecSet> expected(String clusterId, String nodeId, String nodePublicKey) {
    Optional<ClusterSecret> secret = secrets.apply(clusterId);
    if (secret.isEmpty()) {
      return Optional.empty();
    }
    Views v = views.get(clusterId);
    if (v == null || !v.secret().equals(secret.get())) {
      v = decryptAll(clusterId, secret.get());
      views.put(clusterId, v);
    }
    AffiliateView self = v.byId().get(nodeId);
    if (self == null || self.affiliate().kubeSpan().isEmpty()
        || !self.affiliate().kubeSpan().get().publicKey().equals(nodePublicKey)) {
      return Optional.empty();
    }
    List<AffiliateView> others = new ArrayList<>(v.byId().size());
    v.byId().forEach((id, view) -> {
      if (!id.equals(nodeId)) {
        others.add(view);
      }
    });
    return Optional.of(PeerSpecs.compute(nodePublicKey, others));
  }

  private ClusterState state(String cluster) {
    ClusterState s = states.get(cluster);
    if (s == null) {
      s = ClusterState.of(store.load(cluster));
      states.put(cluster, s);
    }
    return s;
  }

  private Views decryptAll(String cluster, ClusterSecret secret) {
    AffiliateCrypto crypto = new AffiliateCrypto(secret);
    Map<String, AffiliateView> byId = new TreeMap<>();
    for (AffiliateState a : state(cluster).affiliates()) {
      AffiliateViews.of(a, crypto).ifPresent(view -> byId.put(view.affiliateId(), view));
    }
    return new Views(secret, crypto, byId);
  }

  private static <V> Map<String, V> lru(int size) {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > size;
      }
    };
  }
}
