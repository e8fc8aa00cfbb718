package io.spanlog.observer.topology;

import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.discovery.AffiliateState;
import io.spanlog.kafka.EnvelopeSerializer;
import io.spanlog.events.LinkMetricsWindow;
import io.spanlog.observer.BatchObserver;
import io.spanlog.observer.ObserverEvents;
import io.spanlog.observer.ObserverSettings;
import io.spanlog.observer.drift.DriftRecord;
import io.spanlog.observer.intake.BatchOpener;
import io.spanlog.observer.intake.Intake;
import io.spanlog.observer.intake.PlaintextBatchOpener;
import io.spanlog.observer.links.LinkRecord;
import io.spanlog.observer.links.ProvenEndpoints;
import io.spanlog.observer.metrics.WindowTally;
import io.spanlog.observer.nodes.ClusterClock;
import io.spanlog.observer.nodes.NodeRecord;
import io.spanlog.observer.reachability.ReachabilityCell;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The endpoint observer as a Kafka Streams topology, a plain function of its settings:
 *
 * <pre>
 * telemetry ──▶ intake ──────────▶ observe ──▶ link-events    (spanlog.link.events)
 *                  │                  ▲ │       (stores: links, matrix, nodes, clocks, open and
 *                  │                  │ │        closed windows, discovery, drift)
 *                  │                  │ └─────▶ link-metrics   (spanlog.link.metrics)
 *                  └──────────────────┼───────▶ dead-letter    (spanlog.dead-letter)
 * discovery ──▶ discovery-intake ─────┘        (spanlog.discovery.events: folded for peer specs)
 * </pre>
 *
 * All records keep their key, the cluster id (the telemetry and discovery topics are keyed alike
 * and have as many partitions, which the service checks: co-partitioned), so a cluster's batches and everything
 * derived from them stay on one partition and one task, in order. The service runs it with
 * {@code exactly_once_v2}: outputs, dead letters and store changelogs commit with the input
 * offsets in one transaction.
 */
public final class ObserverTopology {
  static final String TELEMETRY = "telemetry";
  static final String INTAKE = "intake";
  static final String OBSERVE = "observe";
  static final String LINK_EVENTS = "link-events";
  static final String LINK_METRICS = "link-metrics";
  static final String DEAD_LETTER = "dead-letter";
  static final String DISCOVERY = "discovery";
  static final String DISCOVERY_INTAKE = "discovery-intake";

  private ObserverTopology() {}

  /** The topology reading today's plaintext batches. */
  public static Topology build(ObserverSettings settings) {
    return build(settings, new PlaintextBatchOpener());
  }

  /** The topology with another way of opening batches (e.g. sealed ones). */
  public static Topology build(ObserverSettings settings, BatchOpener opener) {
    return build(settings, opener, ObserverEvents.NONE);
  }

  /** The topology telling {@code events} what it does (the service's metrics), without secrets. */
  public static Topology build(ObserverSettings settings, BatchOpener opener, ObserverEvents events) {
    return build(settings, opener, events, cluster -> Optional.empty());
  }

  /**
   * The topology with the cluster secrets that open discovery data: a cluster with a secret gets
   * peer-spec drift, the others none.
   */
  public static Topology build(ObserverSettings settings, BatchOpener opener, ObserverEvents events,
      Function<String, Optional<ClusterSecret>> secrets) {
    Intake intake = new Intake(opener, settings.sampleTimeTolerance());
    BatchObserver observer = new BatchObserver(settings);
    Topology t = new Topology();
    t.addSource(TELEMETRY, new ByteArrayDeserializer(), new ByteArrayDeserializer(),
        settings.telemetryTopic());
    t.addProcessor(INTAKE, () -> new IntakeProcessor(intake, settings.producer(), events),
        TELEMETRY);
    t.addSource(DISCOVERY, new ByteArrayDeserializer(), new ByteArrayDeserializer(),
        settings.discoveryEventsTopic());
    t.addProcessor(DISCOVERY_INTAKE, DiscoveryIntakeProcessor::new, DISCOVERY);
    t.addProcessor(OBSERVE, () -> new ObserveProcessor(observer, events, secrets), INTAKE,
        DISCOVERY_INTAKE);
    t.addStateStore(store(ObserverStores.LINKS, LinkRecord.class), OBSERVE);
    t.addStateStore(store(ObserverStores.REACHABILITY, ReachabilityCell.class), OBSERVE);
    t.addStateStore(store(ObserverStores.PROVEN_ENDPOINTS, ProvenEndpoints.class), OBSERVE);
    t.addStateStore(store(ObserverStores.NODES, NodeRecord.class), OBSERVE);
    t.addStateStore(store(ObserverStores.CLUSTER_CLOCKS, ClusterClock.class), OBSERVE);
    t.addStateStore(store(ObserverStores.METRIC_WINDOWS, WindowTally.class), OBSERVE);
    t.addStateStore(store(ObserverStores.DISCOVERY, AffiliateState.class), OBSERVE);
    t.addStateStore(store(ObserverStores.DRIFT, DriftRecord.class), OBSERVE);
    t.addStateStore(history(settings), OBSERVE);
    t.addSink(LINK_EVENTS, settings.linkEventsTopic(), new StringSerializer(),
        new EnvelopeSerializer(), OBSERVE);
    t.addSink(LINK_METRICS, settings.linkMetricsTopic(), new StringSerializer(),
        new EnvelopeSerializer(), OBSERVE);
    t.addSink(DEAD_LETTER, settings.deadLetterTopic(), new ByteArraySerializer(),
        new ByteArraySerializer(), INTAKE);
    return t;
  }

  /** Closed windows by link and window start, kept for {@code metricsRetention}. */
  private static StoreBuilder<WindowStore<String, LinkMetricsWindow>> history(ObserverSettings s) {
    return Stores.windowStoreBuilder(
        Stores.persistentWindowStore(ObserverStores.METRIC_HISTORY, s.metricsRetention(),
            s.metricsWindow(), false),
        Serdes.String(), new JsonSerde<>(LinkMetricsWindow.class));
  }

  private static <V> StoreBuilder<KeyValueStore<String, V>> store(String name, Class<V> type) {
    return Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(name), Serdes.String(), new JsonSerde<>(type));
  }
}
