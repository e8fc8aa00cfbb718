package io.spanlog.observer.service;

import io.spanlog.kafka.DeadLetterRouter;
import io.spanlog.observer.ObserverEvents;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record whose processing threw (a bug, not bad input: the intake dead-letters bad input
 * itself) goes to the dead-letter topic byte for byte, with Spanlog's dead-letter headers, and
 * the stream goes on. Kafka Streams sends the dead letter through the task's producer, inside
 * the same transaction as the offsets: the record is either observed or dead-lettered, once.
 */
public final class ProcessingErrors implements ProcessingExceptionHandler {
  /** The problem named in the headers and the metrics. */
  public static final String PROBLEM = "PROCESSING_FAILED";

  static final String DEAD_LETTER_TOPIC = "spanlog.observer.dead-letter-topic";
  static final String CONSUMER = "spanlog.observer.consumer";
  static final String EVENTS = "spanlog.observer.events";

  private static final Logger LOG = LoggerFactory.getLogger(ProcessingErrors.class);

  private String deadLetterTopic;
  private String consumer;
  private ObserverEvents events = ObserverEvents.NONE;

  @Override
  public void configure(Map<String, ?> configs) {
    deadLetterTopic = (String) configs.get(DEAD_LETTER_TOPIC);
    consumer = (String) configs.get(CONSUMER);
    if (configs.get(EVENTS) instanceof ObserverEvents e) {
      events = e;
    }
  }

  @Override
  public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception e) {
    String reason = "processing failed at " + context.processorNodeId() + ": "
        + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    LOG.error("{}: record {}-{}@{} sent to {}: {}", consumer, context.topic(), context.partition(),
        context.offset(), deadLetterTopic, reason, e);
    ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(deadLetterTopic, null,
        context.sourceRawKey(), context.sourceRawValue());
    Headers h = out.headers();
    h.add(DeadLetterRouter.HEADER_TOPIC, utf8(context.topic()));
    h.add(DeadLetterRouter.HEADER_PARTITION, utf8(Integer.toString(context.partition())));
    h.add(DeadLetterRouter.HEADER_OFFSET, utf8(Long.toString(context.offset())));
    h.add(DeadLetterRouter.HEADER_PROBLEM, utf8(PROBLEM));
    h.add(DeadLetterRouter.HEADER_REASON, utf8(reason));
    h.add(DeadLetterRouter.HEADER_CONSUMER, utf8(consumer));
    byte[] key = context.sourceRawKey();
    events.onDeadLettered(key == null ? "" : new String(key, StandardCharsets.UTF_8), PROBLEM);
    return Response.resume(List.of(out));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
