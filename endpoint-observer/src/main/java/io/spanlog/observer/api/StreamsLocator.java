package io.spanlog.observer.api;

import io.spanlog.observer.query.StoreReads;
import io.spanlog.observer.topology.ObserverStores;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Finds a cluster's instance with Kafka Streams' own metadata: the partition its key hashes to
 * (the telemetry's partitioner, on the UTF-8 cluster id) and the instance that owns that
 * partition's active task, named by its {@code application.server}.
 */
public final class StreamsLocator implements ClusterLocator {
  private static final StringSerializer KEYS = new StringSerializer();

  private final KafkaStreams streams;
  private final HostInfo self;

  public StreamsLocator(KafkaStreams streams, HostInfo self) {
    this.streams = streams;
    this.self = self;
  }

  @Override
  public Location locate(String cluster) {
    KafkaStreams.State state = streams.state();
    if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) {
      return new Unavailable("the observer is " + state.name().toLowerCase()
          + ", not running yet; try again in a few seconds");
    }
    KeyQueryMetadata m;
    try {
      m = streams.queryMetadataForKey(ObserverStores.LINKS, cluster, KEYS);
    } catch (RuntimeException e) {
      return new Unavailable("cannot tell which instance holds the cluster: " + e.getMessage());
    }
    if (m == null || m.equals(KeyQueryMetadata.NOT_AVAILABLE) || m.activeHost() == null
        || m.activeHost().equals(HostInfo.unavailable())) {
      return new Unavailable("no instance holds the cluster's partition right now (rebalancing);"
          + " try again in a few seconds");
    }
    if (m.activeHost().equals(self)) {
      return new Here(StoreReads.partition(streams, m.partition()));
    }
    return new Elsewhere(m.activeHost().host(), m.activeHost().port());
  }
}
