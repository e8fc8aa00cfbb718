package io.spanlog.observer.topology;

import io.spanlog.discovery.AffiliateState;
import io.spanlog.observer.ObserverState;
import io.spanlog.observer.drift.DiscoveryProjection;
import io.spanlog.observer.drift.DriftRecord;
import io.spanlog.observer.links.LinkKey;
import io.spanlog.observer.links.LinkRecord;
import io.spanlog.observer.links.ProvenEndpoints;
import io.spanlog.observer.metrics.WindowKey;
import io.spanlog.observer.metrics.WindowTally;
import io.spanlog.observer.nodes.ClusterClock;
import io.spanlog.observer.nodes.NodeRecord;
import io.spanlog.observer.reachability.ReachabilityCell;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** {@link ObserverState} on the named stores of one stream task. */
final class StoreState implements ObserverState, DiscoveryProjection.Store {
  private static final StringSerializer PREFIX = new StringSerializer();

  private final KeyValueStore<String, LinkRecord> links;
  private final KeyValueStore<String, ReachabilityCell> cells;
  private final KeyValueStore<String, ProvenEndpoints> proven;
  private final KeyValueStore<String, NodeRecord> nodes;
  private final KeyValueStore<String, ClusterClock> clocks;
  private final KeyValueStore<String, WindowTally> windows;
  private final KeyValueStore<String, AffiliateState> discovery;
  private final KeyValueStore<String, DriftRecord> drift;

  StoreState(ProcessorContext<?, ?> context) {
    links = context.getStateStore(ObserverStores.LINKS);
    cells = context.getStateStore(ObserverStores.REACHABILITY);
    proven = context.getStateStore(ObserverStores.PROVEN_ENDPOINTS);
    nodes = context.getStateStore(ObserverStores.NODES);
    clocks = context.getStateStore(ObserverStores.CLUSTER_CLOCKS);
    windows = context.getStateStore(ObserverStores.METRIC_WINDOWS);
    discovery = context.getStateStore(ObserverStores.DISCOVERY);
    drift = context.getStateStore(ObserverStores.DRIFT);
  }

  @Override
  public Optional<DriftRecord> drift(String clusterId, String nodePublicKey) {
    return Optional.ofNullable(drift.get(StoreKeys.node(clusterId, nodePublicKey)));
  }

  @Override
  public void putDrift(String clusterId, String nodePublicKey, DriftRecord record) {
    drift.put(StoreKeys.node(clusterId, nodePublicKey), record);
  }

  @Override
  public List<AffiliateState> load(String clusterId) {
    return under(discovery, StoreKeys.cluster(clusterId), key -> key).stream()
        .map(Map.Entry::getValue).toList();
  }

  @Override
  public void put(String clusterId, AffiliateState affiliate) {
    discovery.put(StoreKeys.node(clusterId, affiliate.id()), affiliate);
  }

  @Override
  public void remove(String clusterId, String affiliateId) {
    discovery.delete(StoreKeys.node(clusterId, affiliateId));
  }

  @Override
  public Optional<LinkRecord> link(LinkKey key) {
    return Optional.ofNullable(links.get(StoreKeys.link(key)));
  }

  @Override
  public void putLink(LinkKey key, LinkRecord link) {
    links.put(StoreKeys.link(key), link);
  }

  @Override
  public void removeLink(LinkKey key) {
    links.delete(StoreKeys.link(key));
  }

  @Override
  public List<Map.Entry<LinkKey, LinkRecord>> linksOf(String clusterId, String nodePublicKey) {
    return under(links, StoreKeys.node(clusterId, nodePublicKey), StoreKeys::link);
  }

  @Override
  public Optional<ReachabilityCell> cell(LinkKey key) {
    return Optional.ofNullable(cells.get(StoreKeys.link(key)));
  }

  @Override
  public void putCell(LinkKey key, ReachabilityCell cell) {
    cells.put(StoreKeys.link(key), cell);
  }

  @Override
  public void removeCell(LinkKey key) {
    cells.delete(StoreKeys.link(key));
  }

  @Override
  public ProvenEndpoints proven(String clusterId, String peerPublicKey) {
    ProvenEndpoints p = proven.get(StoreKeys.node(clusterId, peerPublicKey));
    return p == null ? ProvenEndpoints.NONE : p;
  }

  @Override
  public void putProven(String clusterId, String peerPublicKey, ProvenEndpoints p) {
    proven.put(StoreKeys.node(clusterId, peerPublicKey), p);
  }

  @Override
  public Optional<NodeRecord> node(String clusterId, String nodeId) {
    return Optional.ofNullable(nodes.get(StoreKeys.node(clusterId, nodeId)));
  }

  @Override
  public void putNode(String clusterId, String nodeId, NodeRecord node) {
    nodes.put(StoreKeys.node(clusterId, nodeId), node);
  }

  @Override
  public List<Map.Entry<String, NodeRecord>> nodesOf(String clusterId) {
    return under(nodes, StoreKeys.cluster(clusterId), key -> StoreKeys.last(key, 2));
  }

  @Override
  public Optional<ClusterClock> clock(String clusterId) {
    return Optional.ofNullable(clocks.get(StoreKeys.cluster(clusterId)));
  }

  @Override
  public void putClock(String clusterId, ClusterClock clock) {
    clocks.put(StoreKeys.cluster(clusterId), clock);
  }

  @Override
  public Optional<WindowTally> window(WindowKey key) {
    return Optional.ofNullable(windows.get(StoreKeys.window(key)));
  }

  @Override
  public void putWindow(WindowKey key, WindowTally tally) {
    windows.put(StoreKeys.window(key), tally);
  }

  @Override
  public void removeWindow(WindowKey key) {
    windows.delete(StoreKeys.window(key));
  }

  @Override
  public List<Map.Entry<WindowKey, WindowTally>> windowsUpTo(String clusterId, Instant lastStart) {
    List<Map.Entry<WindowKey, WindowTally>> out = new ArrayList<>();
    try (KeyValueIterator<String, WindowTally> it =
        windows.prefixScan(StoreKeys.cluster(clusterId), PREFIX)) {
      while (it.hasNext()) {
        KeyValue<String, WindowTally> kv = it.next();
        WindowKey key = StoreKeys.window(kv.key);
        if (key.windowStart().isAfter(lastStart)) {
          break; // keys are in window-start order
        }
        out.add(Map.entry(key, kv.value));
      }
    }
    return out;
  }

  /** Every entry of {@code store} whose key starts with {@code prefix}, in key order, keys decoded. */
  private static <K, V> List<Map.Entry<K, V>> under(KeyValueStore<String, V> store, String prefix,
      Function<String, K> decodeKey) {
    List<Map.Entry<K, V>> out = new ArrayList<>();
    try (KeyValueIterator<String, V> it = store.prefixScan(prefix, PREFIX)) {
      it.forEachRemaining(kv -> out.add(Map.entry(decodeKey.apply(kv.key), kv.value)));
    }
    return out;
  }
}
