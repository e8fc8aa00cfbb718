package io.spanlog.observer.service;

import io.spanlog.events.Envelope;
import io.spanlog.events.EventCodec;
import io.spanlog.infra.testing.KafkaFixture;
import io.spanlog.observer.ObserverSettings;
import io.spanlog.observer.SyntheticFleet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/** The topics of one test's observers on the shared test broker: written and read as tools do. */
final class ObserverTopics {
  final KafkaFixture kafka = KafkaFixture.shared();
  final ObserverSettings settings;

  ObserverTopics(String name) {
    String p = name + "-" + UUID.randomUUID().toString().substring(0, 8);
    settings = ObserverSettings.defaults()
        .withTopics(p + ".telemetry", p + ".link-events", p + ".link-metrics", p + ".dead-letter")
        .withDiscoveryTopic(p + ".discovery");
  }

  /** The same input, other outputs: a second application over the same records. */
  ObserverTopics(ObserverTopics input, String name) {
    String p = name + "-" + UUID.randomUUID().toString().substring(0, 8);
    settings = input.settings.withTopics(input.settings.telemetryTopic(), p + ".link-events",
        p + ".link-metrics", p + ".dead-letter");
  }

  void send(List<SyntheticFleet.Record> records) {
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(kafka.producerConfig())) {
      for (SyntheticFleet.Record r : records) {
        p.send(new ProducerRecord<>(settings.telemetryTopic(), null, r.appendedAt().toEpochMilli(),
            r.key(), r.value())).get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot send telemetry", e.getCause());
    }
  }

  /** Events to {@code topic}, keyed by their cluster id and stamped with their time, in order. */
  void sendEvents(String topic, List<Envelope> events) {
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(kafka.producerConfig())) {
      for (Envelope e : events) {
        p.send(new ProducerRecord<>(topic, null, e.at().toEpochMilli(),
            e.clusterId().getBytes(java.nio.charset.StandardCharsets.UTF_8), EventCodec.encode(e)))
            .get();
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot send", e);
    }
  }

  void sendRaw(String cluster, byte[] value) {
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(kafka.producerConfig())) {
      p.send(new ProducerRecord<>(settings.telemetryTopic(), cluster.getBytes(), value)).get();
    } catch (Exception e) {
      throw new IllegalStateException("cannot send", e);
    }
  }

  /**
   * Every committed record of {@code topic}, partition by partition in offset order, once
   * {@code done} holds for them and the reader is at the end of the topic, or {@code timeout}
   * passed; read with isolation.level read_committed, as every Spanlog consumer reads.
   */
  List<ConsumerRecord<byte[], byte[]>> committed(String topic,
      Predicate<List<ConsumerRecord<byte[], byte[]>>> done, Duration timeout) {
    Map<String, Object> c = new HashMap<>(kafka.consumerConfig("unused"));
    c.remove(ConsumerConfig.GROUP_ID_CONFIG);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
      List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
          .map(i -> new TopicPartition(topic, i.partition())).sorted(
              java.util.Comparator.comparingInt(TopicPartition::partition)).toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
        if (done.test(out) && caughtUp(consumer, parts)) {
          break;
        }
      }
    }
    List<ConsumerRecord<byte[], byte[]>> ordered = new ArrayList<>(out);
    ordered.sort(java.util.Comparator.<ConsumerRecord<byte[], byte[]>>comparingInt(
        ConsumerRecord::partition).thenComparingLong(ConsumerRecord::offset));
    return ordered;
  }

  /**
   * Waits until the application {@code applicationId} has committed every telemetry record: its
   * group's offsets are at the end of each partition.
   */
  void awaitConsumed(String applicationId, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Admin admin = kafka.newAdmin()) {
      String topic = settings.telemetryTopic();
      List<TopicPartition> parts = admin.describeTopics(List.of(topic)).allTopicNames().get()
          .get(topic).partitions().stream().map(p -> new TopicPartition(topic, p.partition()))
          .toList();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      parts.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
      while (true) {
        var ends = admin.listOffsets(latest).all().get();
        Map<TopicPartition, OffsetAndMetadata> done =
            admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get();
        boolean all = parts.stream().allMatch(tp -> ends.get(tp).offset() == 0
            || (done.get(tp) != null && done.get(tp).offset() >= ends.get(tp).offset()));
        if (all) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError(applicationId + " has not consumed " + topic + " after "
              + timeout.toSeconds() + " s: ends " + ends + ", committed " + done);
        }
        Thread.sleep(200);
      }
    }
  }

  /** At the end of every partition as it is now (read committed: the last stable offset). */
  private static boolean caughtUp(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> parts) {
    Map<TopicPartition, Long> ends = consumer.endOffsets(parts);
    return parts.stream().allMatch(tp -> consumer.position(tp) >= ends.get(tp));
  }

  static List<Envelope> envelopes(List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream().map(r -> EventCodec.decode(r.value())).toList();
  }
}
