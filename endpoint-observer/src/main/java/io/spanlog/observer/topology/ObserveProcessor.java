package io.spanlog.observer.topology;

import io.spanlog.events.Envelope;
import io.spanlog.events.LinkMetricsWindow;
import io.spanlog.observer.BatchObserver;
import io.spanlog.observer.Derived;
import io.spanlog.observer.ObserverEvents;
import io.spanlog.observer.SourceRef;
import io.spanlog.observer.drift.DiscoveryProjection;
import io.spanlog.observer.intake.TelemetryBatch;
import io.spanlog.observer.links.LinkKey;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import io.spanlog.affiliate.ClusterSecret;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Reads: readable batches, and the discovery events of the same clusters (the two topics are
 * co-partitioned by cluster id, so a cluster's batches and discovery events meet in one task, each
 * topic in order). Uses: every store of {@link ObserverStores}. Emits: the derived
 * events, keyed by cluster id, to {@link ObserverTopology#LINK_EVENTS} and
 * {@link ObserverTopology#LINK_METRICS}, and keeps each closed metric window in
 * {@link ObserverStores#METRIC_HISTORY} for the read API. The work is {@link BatchObserver}'s;
 * this only wires it to the task's stores and record position. Discovery events are folded into
 * {@link ObserverStores#DISCOVERY} by {@link DiscoveryProjection}, which gives each batch's node its
 * expected peer specs.
 */
final class ObserveProcessor implements Processor<byte[], Object, String, Envelope> {
  /** Clusters whose folded and decrypted discovery state a task keeps in memory. */
  private static final int CACHED_CLUSTERS = 64;

  private final BatchObserver observer;
  private final ObserverEvents events;
  private final Function<String, Optional<ClusterSecret>> secrets;
  private ProcessorContext<String, Envelope> context;
  private DiscoveryProjection discovery;
  private StoreState state;
  private WindowStore<String, LinkMetricsWindow> history;

  ObserveProcessor(BatchObserver observer, ObserverEvents events,
      Function<String, Optional<ClusterSecret>> secrets) {
    this.observer = observer;
    this.events = events;
    this.secrets = secrets;
  }

  @Override
  public void init(ProcessorContext<String, Envelope> context) {
    this.context = context;
    this.state = new StoreState(context);
    this.history = context.getStateStore(ObserverStores.METRIC_HISTORY);
    // a fresh cache whenever the task is (re)initialised: it is only a copy of the store
    this.discovery = new DiscoveryProjection(state, secrets, CACHED_CLUSTERS);
  }

  @Override
  public void process(Record<byte[], Object> record) {
    if (record.value() instanceof Envelope discoveryEvent) {
      discovery.apply(discoveryEvent);
      return;
    }
    TelemetryBatch batch = (TelemetryBatch) record.value();
    RecordMetadata m = context.recordMetadata().orElseThrow();
    SourceRef source = new SourceRef(m.topic(), m.partition(), m.offset());
    events.onBatch(batch);
    for (Derived d : observer.observe(source, batch, state, discovery::expected)) {
      Envelope e = d.envelope();
      boolean metrics = d.output() == Derived.Output.LINK_METRICS;
      if (metrics && e.payload() instanceof LinkMetricsWindow w) {
        LinkKey link = new LinkKey(e.clusterId(), w.nodePublicKey(), w.peerPublicKey());
        history.put(StoreKeys.link(link), w, w.windowStart().toEpochMilli());
      }
      context.forward(
          new Record<>(e.clusterId(), e, e.at().toEpochMilli()),
          metrics ? ObserverTopology.LINK_METRICS : ObserverTopology.LINK_EVENTS);
      events.onDerived(d);
    }
  }
}
