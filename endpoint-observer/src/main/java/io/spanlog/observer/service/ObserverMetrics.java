package io.spanlog.observer.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.spanlog.events.LinkMetricsWindow;
import io.spanlog.events.PeerState;
import io.spanlog.observer.Derived;
import io.spanlog.observer.ObserverEvents;
import io.spanlog.observer.intake.TelemetryBatch;
import io.spanlog.observer.query.Census;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The observer's Prometheus metrics ({@code spanlog_observer_*}): work counters told by the
 * topology, gauges per cluster from a census of this instance's stores, and Kafka Streams' own
 * client metrics (consumer lag among them) through Micrometer's binder. Each instance reports
 * the clusters of its own partitions: sum over instances.
 */
public final class ObserverMetrics implements ObserverEvents {
  /**
   * Clusters named in labels of records that may be forged (dead letters): beyond this many,
   * they are counted as {@code other}, so that junk cluster ids cannot grow the metrics forever.
   */
  static final int MAX_DEAD_LETTER_CLUSTERS = 1000;

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter batches;
  private final Counter samples;
  private final Set<String> deadLetterClusters = ConcurrentHashMap.newKeySet();
  private final Map<String, LatestWindow> latest = new ConcurrentHashMap<>();
  private final MultiGauge linksByState;
  private final MultiGauge flapping;
  private final MultiGauge asymmetric;
  private final MultiGauge nodes;
  private final MultiGauge silent;
  private final MultiGauge withoutDiscovery;
  private final MultiGauge drifting;
  private final MultiGauge bytesPerSecond;
  private KafkaStreamsMetrics streamsMetrics;

  /** The traffic of a cluster's latest closed window start, summed over its links. */
  private record LatestWindow(Instant start, double rx, double tx) {}

  public ObserverMetrics() {
    batches = Counter.builder("spanlog.observer.batches")
        .description("telemetry batches observed").register(registry);
    samples = Counter.builder("spanlog.observer.samples")
        .description("peer samples observed (one per peer per batch)").register(registry);
    linksByState = gauge("spanlog.observer.links", "links by current state, per cluster");
    flapping = gauge("spanlog.observer.links.flapping", "links flapping now, per cluster");
    asymmetric = gauge("spanlog.observer.links.asymmetric",
        "link directions up against a peer that does not see them up, per cluster");
    nodes = gauge("spanlog.observer.nodes", "nodes that have reported telemetry, per cluster");
    silent = gauge("spanlog.observer.nodes.silent",
        "nodes whose batches stopped arriving while the cluster's others did, per cluster");
    withoutDiscovery = gauge("spanlog.observer.nodes.without.discovery",
        "nodes whose latest batch says their discovery service did not answer, per cluster");
    drifting = gauge("spanlog.observer.nodes.drifting",
        "nodes whose device has differed from their expected peer specs for longer than the"
            + " drift grace, per cluster (only clusters whose secret the observer holds)");
    bytesPerSecond = gauge("spanlog.observer.bytes.per.second",
        "bytes per second over all links of a cluster in its latest closed metric window,"
            + " by direction (rx, tx)");
  }

  private MultiGauge gauge(String name, String description) {
    return MultiGauge.builder(name).description(description).register(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Binds Kafka Streams' client metrics (consumer lag, commit rates, ...) to the registry. */
  public void bind(KafkaStreams streams) {
    streamsMetrics = new KafkaStreamsMetrics(streams);
    streamsMetrics.bindTo(registry);
  }

  @Override
  public void onBatch(TelemetryBatch batch) {
    batches.increment();
    samples.increment(batch.batch().peers().size());
  }

  @Override
  public void onDeadLettered(String clusterId, String problem) {
    String cluster = clusterId;
    if (!deadLetterClusters.contains(cluster)) {
      cluster = deadLetterClusters.size() < MAX_DEAD_LETTER_CLUSTERS && deadLetterClusters.add(cluster)
          ? cluster : "other";
    }
    registry.counter("spanlog.observer.dead.lettered", "problem", problem, "cluster", cluster)
        .increment();
  }

  @Override
  public void onDerived(Derived derived) {
    registry.counter("spanlog.observer.derived", "type", derived.envelope().type().wireName())
        .increment();
    if (derived.envelope().payload() instanceof LinkMetricsWindow w) {
      String cluster = derived.envelope().clusterId();
      registry.counter("spanlog.observer.rx.bytes", "cluster", cluster).increment(w.rxBytes());
      registry.counter("spanlog.observer.tx.bytes", "cluster", cluster).increment(w.txBytes());
      latest.compute(cluster, (c, old) -> {
        if (old == null || w.windowStart().isAfter(old.start())) {
          return new LatestWindow(w.windowStart(), w.rxBytesPerSecond(), w.txBytesPerSecond());
        }
        if (w.windowStart().equals(old.start())) {
          return new LatestWindow(old.start(), old.rx() + w.rxBytesPerSecond(),
              old.tx() + w.txBytesPerSecond());
        }
        return old; // an older window: not the latest
      });
    }
  }

  /** Sets the per-cluster gauges from a census of this instance's stores. */
  public void census(Map<String, Census.Counts> byCluster) {
    List<MultiGauge.Row<?>> states = new ArrayList<>();
    List<MultiGauge.Row<?>> flaps = new ArrayList<>();
    List<MultiGauge.Row<?>> asym = new ArrayList<>();
    List<MultiGauge.Row<?>> all = new ArrayList<>();
    List<MultiGauge.Row<?>> quiet = new ArrayList<>();
    List<MultiGauge.Row<?>> cutOff = new ArrayList<>();
    List<MultiGauge.Row<?>> drift = new ArrayList<>();
    byCluster.forEach((cluster, c) -> {
      Tags t = Tags.of("cluster", cluster);
      for (PeerState s : PeerState.values()) {
        states.add(MultiGauge.Row.of(t.and("state", s.wireName()),
            c.linksByState().getOrDefault(s, 0)));
      }
      flaps.add(MultiGauge.Row.of(t, c.flapping()));
      asym.add(MultiGauge.Row.of(t, c.asymmetric()));
      all.add(MultiGauge.Row.of(t, c.nodes()));
      quiet.add(MultiGauge.Row.of(t, c.silent()));
      cutOff.add(MultiGauge.Row.of(t, c.withoutDiscovery()));
      drift.add(MultiGauge.Row.of(t, c.drifting()));
    });
    linksByState.register(states, true);
    flapping.register(flaps, true);
    asymmetric.register(asym, true);
    nodes.register(all, true);
    silent.register(quiet, true);
    withoutDiscovery.register(cutOff, true);
    drifting.register(drift, true);
    List<MultiGauge.Row<?>> rates = new ArrayList<>();
    latest.forEach((cluster, w) -> {
      if (byCluster.containsKey(cluster)) { // a cluster this instance still holds
        rates.add(MultiGauge.Row.of(Tags.of("cluster", cluster, "direction", "rx"), w.rx()));
        rates.add(MultiGauge.Row.of(Tags.of("cluster", cluster, "direction", "tx"), w.tx()));
      }
    });
    bytesPerSecond.register(rates, true);
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }

  public void close() {
    if (streamsMetrics != null) {
      streamsMetrics.close();
    }
    registry.close();
  }
}
