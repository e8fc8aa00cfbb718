package io.spanlog.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.events.AffiliateUpdated;
import io.spanlog.events.Blob;
import io.spanlog.events.Envelope;
import io.spanlog.events.SampleEvents;
import io.spanlog.infra.testing.Consume;
import io.spanlog.infra.testing.KafkaFixture;
import io.spanlog.kafka.EnvelopeDeserializer;
import io.spanlog.kafka.EnvelopeSerializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Events written with Spanlog's serializer come back equal, and in order per cluster. */
class EventsThroughBrokerIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private final KafkaFixture kafka = KafkaFixture.shared();

  @Test
  void everyEventTypeRoundTripsThroughTheBroker() throws Exception {
    String topic = kafka.uniqueTopic("roundtrip", 3);
    List<Envelope> sent = SampleEvents.all();

    try (KafkaProducer<String, Envelope> producer = producer()) {
      for (Envelope e : sent) {
        producer.send(new ProducerRecord<>(topic, e.clusterId(), e)).get();
      }
    }
    List<Envelope> received;
    try (KafkaConsumer<String, Envelope> consumer = consumer("roundtrip")) {
      consumer.subscribe(List.of(topic));
      received =
          Consume.records(consumer, sent.size(), TIMEOUT).stream().map(ConsumerRecord::value).toList();
    }

    // one key, so one partition: the order is the sending order
    assertThat(received).containsExactlyElementsOf(sent);
  }

  @Test
  void oneClustersEventsKeepTheirOrderOnItsPartition() {
    String topic = kafka.uniqueTopic("ordering", 6);
    int count = 10_000;
    Instant start = Instant.parse("2026-11-25T00:00:00Z");
    List<Envelope> sent =
        IntStream.range(0, count)
            .mapToObj(
                i ->
                    Envelope.of(
                        "cluster-ordered",
                        "node-" + (i % 7),
                        start.plusMillis(i),
                        "ordering-test",
                        new AffiliateUpdated(
                            "node-" + (i % 7),
                            Optional.of(Blob.of(Integer.toString(i).getBytes(StandardCharsets.UTF_8))),
                            List.of(),
                            Duration.ofSeconds(i),
                            Optional.empty())))
            .toList();

    // Async sends with retries and several in-flight batches: idempotence must keep the order.
    try (KafkaProducer<String, Envelope> producer = producer()) {
      sent.forEach(e -> producer.send(new ProducerRecord<>(topic, e.clusterId(), e)));
      producer.flush();
    }
    List<ConsumerRecord<String, Envelope>> received;
    try (KafkaConsumer<String, Envelope> consumer = consumer("ordering")) {
      consumer.subscribe(List.of(topic));
      received = Consume.records(consumer, count, TIMEOUT);
    }

    assertThat(received).hasSize(count);
    assertThat(received.stream().map(ConsumerRecord::partition).distinct()).hasSize(1);
    List<Long> offsets = new ArrayList<>();
    received.forEach(r -> offsets.add(r.offset()));
    assertThat(offsets).isSorted();
    assertThat(received.stream().map(ConsumerRecord::value).toList()).containsExactlyElementsOf(sent);
  }

  private KafkaProducer<String, Envelope> producer() {
    Map<String, Object> config = kafka.producerConfig();
    config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 16 * 1024);
    return new KafkaProducer<>(config, new StringSerializer(), new EnvelopeSerializer());
  }

  private KafkaConsumer<String, Envelope> consumer(String group) {
    Map<String, Object> config = kafka.consumerConfig(group + "-" + System.nanoTime());
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
    return new KafkaConsumer<>(config, new StringDeserializer(), new EnvelopeDeserializer());
  }
}
