package io.spanlog.observer.query;

import io.spanlog.events.LinkMetricsWindow;
import io.spanlog.observer.drift.DriftRecord;
import io.spanlog.observer.links.LinkKey;
import io.spanlog.observer.links.LinkRecord;
import io.spanlog.observer.nodes.NodeRecord;
import io.spanlog.observer.reachability.ReachabilityCell;
import io.spanlog.observer.topology.ObserverStores;
import io.spanlog.observer.topology.StoreKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * {@link ClusterReads} on this instance's active stores (Kafka Streams interactive queries): of
 * one partition, the one a cluster lives on, or of every partition this instance owns.
 *
 * @throws org.apache.kafka.streams.errors.InvalidStateStoreException from any read while the
 *     stores are not queryable (starting, restoring, migrating): try again later
 */
public final class StoreReads implements ClusterReads {
  private static final StringSerializer KEYS = new StringSerializer();
  private static final Instant END_OF_TIME = Instant.ofEpochMilli(Long.MAX_VALUE);

  private final KafkaStreams streams;
  private final Integer partition;

  private StoreReads(KafkaStreams streams, Integer partition) {
    this.streams = streams;
    this.partition = partition;
  }

  /** The stores of the partition a cluster lives on. */
  public static StoreReads partition(KafkaStreams streams, int partition) {
    return new StoreReads(streams, partition);
  }

  /** The stores of every partition this instance owns (for the metrics' census). */
  public static StoreReads local(KafkaStreams streams) {
    return new StoreReads(streams, null);
  }

  @Override
  public List<Map.Entry<LinkKey, LinkRecord>> links(String cluster) {
    return scan(kv(ObserverStores.LINKS), StoreKeys.cluster(cluster), StoreKeys::link);
  }

  @Override
  public List<Map.Entry<LinkKey, ReachabilityCell>> cells(String cluster) {
    return scan(kv(ObserverStores.REACHABILITY), StoreKeys.cluster(cluster), StoreKeys::link);
  }

  @Override
  public List<Map.Entry<String, NodeRecord>> nodes(String cluster) {
    return scan(kv(ObserverStores.NODES), StoreKeys.cluster(cluster), k -> StoreKeys.last(k, 2));
  }

  @Override
  public List<Map.Entry<String, DriftRecord>> drift(String cluster) {
    return scan(kv(ObserverStores.DRIFT), StoreKeys.cluster(cluster), k -> StoreKeys.last(k, 2));
  }

  /** Every node's drift record this instance holds, by (cluster, node key) store key. */
  public List<Map.Entry<String, DriftRecord>> allDrift() {
    return all(kv(ObserverStores.DRIFT), Function.identity());
  }

  @Override
  public List<LinkMetricsWindow> windows(LinkKey link, Instant from, Instant to) {
    List<LinkMetricsWindow> out = new ArrayList<>();
    try (WindowStoreIterator<LinkMetricsWindow> it =
        history().fetch(StoreKeys.link(link), from, to)) {
      it.forEachRemaining(kv -> out.add(kv.value));
    }
    return out;
  }

  @Override
  public Optional<LinkMetricsWindow> latestWindow(LinkKey link) {
    try (WindowStoreIterator<LinkMetricsWindow> it =
        history().backwardFetch(StoreKeys.link(link), Instant.EPOCH, END_OF_TIME)) {
      return it.hasNext() ? Optional.of(it.next().value) : Optional.empty();
    }
  }

  /** Every link this instance holds (every cluster of its partitions). */
  public List<Map.Entry<LinkKey, LinkRecord>> allLinks() {
    return all(kv(ObserverStores.LINKS), StoreKeys::link);
  }

  /** Every reachability cell this instance holds. */
  public List<Map.Entry<LinkKey, ReachabilityCell>> allCells() {
    return all(kv(ObserverStores.REACHABILITY), StoreKeys::link);
  }

  /** Every node this instance holds, by (cluster, node id) store key. */
  public List<Map.Entry<String, NodeRecord>> allNodes() {
    return all(kv(ObserverStores.NODES), Function.identity());
  }

  private <V> ReadOnlyKeyValueStore<String, V> kv(String name) {
    StoreQueryParameters<ReadOnlyKeyValueStore<String, V>> p =
        StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore());
    return streams.store(partition == null ? p : p.withPartition(partition));
  }

  private ReadOnlyWindowStore<String, LinkMetricsWindow> history() {
    StoreQueryParameters<ReadOnlyWindowStore<String, LinkMetricsWindow>> p =
        StoreQueryParameters.fromNameAndType(ObserverStores.METRIC_HISTORY,
            QueryableStoreTypes.<String, LinkMetricsWindow>windowStore());
    return streams.store(partition == null ? p : p.withPartition(partition));
  }

  private static <K, V> List<Map.Entry<K, V>> scan(ReadOnlyKeyValueStore<String, V> store,
      String prefix, Function<String, K> key) {
    List<Map.Entry<K, V>> out = new ArrayList<>();
    try (KeyValueIterator<String, V> it = store.prefixScan(prefix, KEYS)) {
      while (it.hasNext()) {
        KeyValue<String, V> kv = it.next();
        out.add(Map.entry(key.apply(kv.key), kv.value));
      }
    }
    return out;
  }

  private static <K, V> List<Map.Entry<K, V>> all(ReadOnlyKeyValueStore<String, V> store,
      Function<String, K> key) {
    List<Map.Entry<K, V>> out = new ArrayList<>();
    try (KeyValueIterator<String, V> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<String, V> kv = it.next();
        out.add(Map.entry(key.apply(kv.key), kv.value));
      }
    }
    return out;
  }
}
