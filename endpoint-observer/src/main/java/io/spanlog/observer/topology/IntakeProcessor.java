package io.spanlog.observer.topology;

import io.spanlog.kafka.DeadLetterRouter;
import io.spanlog.observer.ObserverEvents;
import io.spanlog.observer.intake.BatchOpener;
import io.spanlog.observer.intake.Intake;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Reads: raw telemetry records. Emits: readable batches to {@link ObserverTopology#OBSERVE}, and
 * every record that cannot be read, byte for byte with the reason in the dead-letter headers
 * ({@link DeadLetterRouter}'s), to {@link ObserverTopology#DEAD_LETTER}: within the task's
 * transaction, so a record is either observed or dead-lettered, never lost or both.
 */
final class IntakeProcessor implements Processor<byte[], byte[], byte[], Object> {
  private final Intake intake;
  private final String consumerName;
  private final ObserverEvents events;
  private ProcessorContext<byte[], Object> context;

  IntakeProcessor(Intake intake, String consumerName, ObserverEvents events) {
    this.intake = intake;
    this.consumerName = consumerName;
    this.events = events;
  }

  @Override
  public void init(ProcessorContext<byte[], Object> context) {
    this.context = context;
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    BatchOpener.Result result = intake.read(record.value());
    if (result instanceof BatchOpener.Opened opened) {
      context.forward(
          new Record<>(record.key(), (Object) opened.batch(), record.timestamp()),
          ObserverTopology.OBSERVE);
    } else if (result instanceof BatchOpener.Refused refused) {
      context.forward(
          new Record<>(record.key(), (Object) record.value(), record.timestamp(), headers(refused)),
          ObserverTopology.DEAD_LETTER);
      events.onDeadLettered(
          record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8),
          refused.problem());
    }
  }

  private Headers headers(BatchOpener.Refused refused) {
    Headers h = new RecordHeaders();
    RecordMetadata m = context.recordMetadata().orElseThrow();
    h.add(DeadLetterRouter.HEADER_TOPIC, utf8(m.topic()));
    h.add(DeadLetterRouter.HEADER_PARTITION, utf8(Integer.toString(m.partition())));
    h.add(DeadLetterRouter.HEADER_OFFSET, utf8(Long.toString(m.offset())));
    h.add(DeadLetterRouter.HEADER_PROBLEM, utf8(refused.problem()));
    h.add(DeadLetterRouter.HEADER_REASON, utf8(refused.reason()));
    h.add(DeadLetterRouter.HEADER_CONSUMER, utf8(consumerName));
    return h;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
