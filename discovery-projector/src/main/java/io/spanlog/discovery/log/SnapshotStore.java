package io.spanlog.discovery.log;

import io.spanlog.discovery.PartitionSnapshot;
import io.spanlog.discovery.SnapshotCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compacted snapshot topic: snapshot of events partition p lives in partition p, key "p";
 * compaction keeps the latest. A snapshot that cannot be read is ignored (that partition is then
 * replayed from the start), never trusted.
 */
public final class SnapshotStore {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);

  private final KafkaSettings kafka;
  private final String topic;
  private final Producer<byte[], byte[]> producer;

  public SnapshotStore(KafkaSettings kafka, String topic, Producer<byte[], byte[]> producer) {
    this.kafka = kafka;
    this.topic = topic;
    this.producer = producer;
  }

  public Map<Integer, PartitionSnapshot> loadAll() {
    Map<Integer, PartitionSnapshot> latest = new HashMap<>();
    try (Consumer<byte[], byte[]> c = new KafkaConsumer<>(kafka.reader("snapshot-loader"))) {
      List<TopicPartition> parts =
          c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          if (r.value() == null) {
            continue;
          }
          try {
            PartitionSnapshot s = SnapshotCodec.decode(r.value());
            latest.put(s.partition(), s);
          } catch (IllegalArgumentException e) {
            LOG.warn("snapshot {}-{}@{} ignored: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
          }
        }
      }
    }
    return latest;
  }

  public void write(PartitionSnapshot snapshot) throws InterruptedException {
    int partitions = producer.partitionsFor(topic).size();
    try {
      producer
          .send(
              new ProducerRecord<>(
                  topic,
                  snapshot.partition() % partitions,
                  Integer.toString(snapshot.partition()).getBytes(StandardCharsets.UTF_8),
                  SnapshotCodec.encode(snapshot)))
          .get();
    } catch (ExecutionException e) {
      LOG.warn("snapshot of partition {} not written: {}", snapshot.partition(), e.getCause().toString());
    }
  }
}
