package io.spanlog.observer.topology;

import io.spanlog.events.Envelope;
import io.spanlog.observer.BatchObserver;
import io.spanlog.observer.Derived;
import io.spanlog.observer.SourceRef;
import io.spanlog.observer.intake.TelemetryBatch;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Reads: readable batches. Uses: every store of {@link ObserverStores}. Emits: the derived
 * events, keyed by cluster id, to {@link ObserverTopology#LINK_EVENTS} and
 * {@link ObserverTopology#LINK_METRICS}. The work is {@link BatchObserver}'s; this only wires it
 * to the task's stores and record position.
 */
final class ObserveProcessor implements Processor<byte[], Object, String, Envelope> {
  private final BatchObserver observer;
  private ProcessorContext<String, Envelope> context;
  private StoreState state;

  ObserveProcessor(BatchObserver observer) {
    this.observer = observer;
  }

  @Override
  public void init(ProcessorContext<String, Envelope> context) {
    this.context = context;
    this.state = new StoreState(context);
  }

  @Override
  public void process(Record<byte[], Object> record) {
    TelemetryBatch batch = (TelemetryBatch) record.value();
    RecordMetadata m = context.recordMetadata().orElseThrow();
    SourceRef source = new SourceRef(m.topic(), m.partition(), m.offset());
    for (Derived d : observer.observe(source, batch, state)) {
      Envelope e = d.envelope();
      context.forward(
          new Record<>(e.clusterId(), e, e.at().toEpochMilli()),
          d.output() == Derived.Output.LINK_METRICS
              ? ObserverTopology.LINK_METRICS
              : ObserverTopology.LINK_EVENTS);
    }
  }
}
