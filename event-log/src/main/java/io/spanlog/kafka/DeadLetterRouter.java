package io.spanlog.kafka;

import io.spanlog.events.Envelope;
import io.spanlog.events.EventCodec;
import io.spanlog.events.EventDecodingException;
import io.spanlog.topics.TopicCatalogue;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes raw records for a consumer loop and sends the ones that are not valid events to the
 * dead-letter topic, with the reason, so the consumer goes on with the next record.
 *
 * <p>The dead-letter record keeps the original key and value byte for byte; headers say where
 * it came from ({@code spanlog.dlq.topic}, {@code .partition}, {@code .offset}), what was wrong
 * ({@code spanlog.dlq.problem}, {@code spanlog.dlq.reason}) and who rejected it
 * ({@code spanlog.dlq.consumer}). The send is waited for: a rejected record is acknowledged only
 * once it is durable in the dead-letter topic, so nothing is lost.
 */
public final class DeadLetterRouter {
  public static final String HEADER_TOPIC = "spanlog.dlq.topic";
  public static final String HEADER_PARTITION = "spanlog.dlq.partition";
  public static final String HEADER_OFFSET = "spanlog.dlq.offset";
  public static final String HEADER_PROBLEM = "spanlog.dlq.problem";
  public static final String HEADER_REASON = "spanlog.dlq.reason";
  public static final String HEADER_CONSUMER = "spanlog.dlq.consumer";

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterRouter.class);

  private final Producer<byte[], byte[]> producer;
  private final String consumerName;
  private final String deadLetterTopic;

  public DeadLetterRouter(Producer<byte[], byte[]> producer, String consumerName) {
    this(producer, consumerName, TopicCatalogue.DEAD_LETTER);
  }

  public DeadLetterRouter(
      Producer<byte[], byte[]> producer, String consumerName, String deadLetterTopic) {
    this.producer = Objects.requireNonNull(producer, "producer");
    this.consumerName = Objects.requireNonNull(consumerName, "consumerName");
    this.deadLetterTopic = Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
  }

  /**
   * The record's event, or empty when it was not one (it is then in the dead-letter topic).
   *
   * @throws DeadLetterException when the dead-letter write itself fails: the caller must not
   *     commit past this record
   */
  public Optional<Envelope> decode(ConsumerRecord<byte[], byte[]> record) {
    try {
      return Optional.of(EventCodec.decode(record.value()));
    } catch (EventDecodingException e) {
      deadLetter(record, e.problem().name(), e.getMessage());
      return Optional.empty();
    }
  }

  /** Sends a record to the dead-letter topic for a reason other than decoding. */
  public void deadLetter(ConsumerRecord<byte[], byte[]> record, String problem, String reason) {
    ProducerRecord<byte[], byte[]> out =
        new ProducerRecord<>(deadLetterTopic, null, record.key(), record.value());
    Headers h = out.headers();
    h.add(HEADER_TOPIC, utf8(record.topic()));
    h.add(HEADER_PARTITION, utf8(Integer.toString(record.partition())));
    h.add(HEADER_OFFSET, utf8(Long.toString(record.offset())));
    h.add(HEADER_PROBLEM, utf8(problem));
    h.add(HEADER_REASON, utf8(reason));
    h.add(HEADER_CONSUMER, utf8(consumerName));
    try {
      producer.send(out).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeadLetterException("interrupted while writing to " + deadLetterTopic, e);
    } catch (ExecutionException e) {
      throw new DeadLetterException("cannot write to " + deadLetterTopic, e.getCause());
    }
    LOG.warn(
        "{}: record {}-{}@{} sent to {}: {} ({})",
        consumerName,
        record.topic(),
        record.partition(),
        record.offset(),
        deadLetterTopic,
        reason,
        problem);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The dead-letter topic could not take a record. */
  public static final class DeadLetterException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DeadLetterException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
