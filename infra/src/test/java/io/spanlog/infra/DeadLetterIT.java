package io.spanlog.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spanlog.events.AffiliateDeleted;
import io.spanlog.events.Envelope;
import io.spanlog.events.EventCodec;
import io.spanlog.events.SampleEvents;
import io.spanlog.infra.testing.Consume;
import io.spanlog.infra.testing.KafkaFixture;
import io.spanlog.kafka.DeadLetterRouter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/** Bad records go to the dead-letter topic with the reason; the consumer reads on. */
class DeadLetterIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private final KafkaFixture kafka = KafkaFixture.shared();

  @Test
  void badRecordsAreDeadLetteredAndTheNextGoodOneIsRead() throws Exception {
    String topic = kafka.uniqueTopic("events");
    String deadLetters = kafka.uniqueTopic("dead-letter");
    List<Envelope> good =
        List.of(good("n1"), good("n2"), good("n3"), good("n4"), good("n5"));
    byte[] malformed = "{\"type\":\"affiliate.deleted\",".getBytes(StandardCharsets.UTF_8);
    byte[] unknownType = edit(good("x"), root -> root.put("type", "affiliate.teleported"));
    byte[] unknownSchema = edit(good("x"), root -> root.put("schema", 7));
    byte[] missingField = edit(good("x"), root -> root.remove("cluster"));
    List<byte[]> values =
        List.of(
            EventCodec.encode(good.get(0)), malformed,
            EventCodec.encode(good.get(1)), unknownType,
            EventCodec.encode(good.get(2)), unknownSchema,
            EventCodec.encode(good.get(3)), missingField,
            EventCodec.encode(good.get(4)));

    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.producerConfig())) {
      for (byte[] value : values) {
        producer.send(new ProducerRecord<>(topic, key(), value)).get();
      }
    }

    List<Envelope> decoded = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> dlqProducer = new KafkaProducer<>(kafka.producerConfig());
        KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(kafka.consumerConfig("dlq-" + System.nanoTime()))) {
      DeadLetterRouter router = new DeadLetterRouter(dlqProducer, "dead-letter-it", deadLetters);
      consumer.subscribe(List.of(topic));
      for (ConsumerRecord<byte[], byte[]> record : Consume.records(consumer, values.size(), TIMEOUT)) {
        router.decode(record).ifPresent(decoded::add);
      }
    }

    assertThat(decoded).containsExactlyElementsOf(good);

    List<ConsumerRecord<byte[], byte[]>> rejected;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(kafka.consumerConfig("dlq-read-" + System.nanoTime()))) {
      consumer.subscribe(List.of(deadLetters));
      rejected = Consume.records(consumer, 4, TIMEOUT);
    }
    assertThat(rejected).hasSize(4);
    assertThat(rejected.stream().map(r -> header(r, DeadLetterRouter.HEADER_PROBLEM)))
        .containsExactly("MALFORMED_JSON", "UNKNOWN_TYPE", "UNKNOWN_SCHEMA", "MISSING_FIELD");
    assertThat(rejected.stream().map(r -> header(r, DeadLetterRouter.HEADER_REASON)))
        .satisfiesExactly(
            reason -> assertThat(reason).contains("not valid JSON"),
            reason -> assertThat(reason).contains("affiliate.teleported"),
            reason -> assertThat(reason).contains("schema version 7"),
            reason -> assertThat(reason).contains("'cluster'"));
    assertThat(rejected.stream().map(ConsumerRecord::value))
        .containsExactly(malformed, unknownType, unknownSchema, missingField);
    assertThat(rejected.stream().map(r -> header(r, DeadLetterRouter.HEADER_OFFSET)))
        .containsExactly("1", "3", "5", "7");
    assertThat(rejected)
        .allSatisfy(
            r -> {
              assertThat(r.key()).isEqualTo(key());
              assertThat(header(r, DeadLetterRouter.HEADER_TOPIC)).isEqualTo(topic);
              assertThat(header(r, DeadLetterRouter.HEADER_CONSUMER)).isEqualTo("dead-letter-it");
            });
  }

  private static Envelope good(String node) {
    return SampleEvents.envelope(node, new AffiliateDeleted(node, Optional.empty()));
  }

  private static byte[] key() {
    return SampleEvents.CLUSTER.getBytes(StandardCharsets.UTF_8);
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static byte[] edit(Envelope envelope, Consumer<ObjectNode> change) {
    try {
      ObjectNode root = (ObjectNode) EventCodec.mapper().readTree(EventCodec.encode(envelope));
      change.accept(root);
      return EventCodec.mapper().writeValueAsBytes(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
