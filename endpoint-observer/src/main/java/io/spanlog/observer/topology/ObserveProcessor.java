package io.spanlog.observer.topology;

import io.spanlog.events.Envelope;
import io.spanlog.events.LinkMetricsWindow;
import io.spanlog.observer.BatchObserver;
import io.spanlog.observer.Derived;
import io.spanlog.observer.ObserverEvents;
import io.spanlog.observer.SourceRef;
import io.spanlog.observer.intake.TelemetryBatch;
import io.spanlog.observer.links.LinkKey;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Reads: readable batches. Uses: every store of {@link ObserverStores}. Emits: the derived
 * events, keyed by cluster id, to {@link ObserverTopology#LINK_EVENTS} and
 * {@link ObserverTopology#LINK_METRICS}, and keeps each closed metric window in
 * {@link ObserverStores#METRIC_HISTORY} for the read API. The work is {@link BatchObserver}'s;
 * this only wires it to the task's stores and record position.
 */
final class ObserveProcessor implements Processor<byte[], Object, String, Envelope> {
  private final BatchObserver observer;
  private final ObserverEvents events;
  private ProcessorContext<String, Envelope> context;
  private StoreState state;
  private WindowStore<String, LinkMetricsWindow> history;

  ObserveProcessor(BatchObserver observer, ObserverEvents events) {
    this.observer = observer;
    this.events = events;
  }

  @Override
  public void init(ProcessorContext<String, Envelope> context) {
    this.context = context;
    this.state = new StoreState(context);
    this.history = context.getStateStore(ObserverStores.METRIC_HISTORY);
  }

  @Override
  public void process(Record<byte[], Object> record) {
    TelemetryBatch batch = (TelemetryBatch) record.value();
    RecordMetadata m = context.recordMetadata().orElseThrow();
    SourceRef source = new SourceRef(m.topic(), m.partition(), m.offset());
    events.onBatch(batch);
    for (Derived d : observer.observe(source, batch, state)) {
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
