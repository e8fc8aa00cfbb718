package io.spanlog.discovery.log;

import io.spanlog.discovery.PartitionSnapshot;
import io.spanlog.discovery.SnapshotCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compacted snapshot topic: the snapshot of events partition p lives in partition p as chunk
 * records ({@link SnapshotCodec}), each under Kafka's default 1 MiB record size, so a partition's
 * snapshot has no size ceiling. Keys are {@code p/slot/i}: two slots take turns, so the previous
 * snapshot stays whole while the next is written, and a writer that dies half-way leaves the
 * older one usable. Chunks a shorter snapshot no longer needs are deleted (tombstones).
 *
 * <p>A snapshot is loaded only when every one of its chunks is read ({@link
 * SnapshotCodec#latestComplete}); one that cannot be read is ignored (that partition is then
 * replayed from the start), never trusted.
 */
public final class SnapshotStore {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);

  private final KafkaSettings kafka;
  private final String topic;
  private final Producer<byte[], byte[]> producer;
  private final int chunkBytes;
  /** Per events partition: the slot of its newest whole snapshot known here. */
  private final Map<Integer, Integer> currentSlot = new HashMap<>();
  /** Per "partition/slot": chunk indices this store knows to exist there (from loads and writes). */
  private final Map<String, Integer> chunksInSlot = new HashMap<>();
  /** Keys of records this build cannot read (schema 1's one record per partition), deleted by the next write. */
  private final Map<Integer, List<String>> legacyKeys = new HashMap<>();

  public SnapshotStore(KafkaSettings kafka, String topic, Producer<byte[], byte[]> producer) {
    this(kafka, topic, producer, SnapshotCodec.DEFAULT_CHUNK_BYTES);
  }

  /** @param chunkBytes size at which a chunk record is closed (tests use small ones) */
  public SnapshotStore(KafkaSettings kafka, String topic, Producer<byte[], byte[]> producer, int chunkBytes) {
    this.kafka = kafka;
    this.topic = topic;
    this.producer = producer;
    this.chunkBytes = chunkBytes;
  }

  public synchronized Map<Integer, PartitionSnapshot> loadAll() {
    // The latest value of every key, as compaction will eventually leave it.
    Map<String, ConsumerRecord<byte[], byte[]>> latest = new LinkedHashMap<>();
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
          String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
          if (r.value() == null) {
            latest.remove(key);
          } else {
            latest.put(key, r);
          }
        }
      }
    }
    Map<Integer, Map<Integer, List<SnapshotCodec.Chunk>>> bySlot = new HashMap<>();
    latest.forEach((key, r) -> {
      String[] k = key.split("/");
      if (k.length != 3) {
        LOG.warn("snapshot record {} at {}-{}@{} is from an older version; ignored, and deleted by the next snapshot",
            key, r.topic(), r.partition(), r.offset());
        legacyKeys.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(key);
        return;
      }
      try {
        SnapshotCodec.Chunk chunk = SnapshotCodec.decodeChunk(r.value());
        int slot = Integer.parseInt(k[1]);
        bySlot.computeIfAbsent(chunk.partition(), p -> new HashMap<>())
            .computeIfAbsent(slot, s -> new ArrayList<>()).add(chunk);
        chunksInSlot.merge(chunk.partition() + "/" + slot, chunk.index() + 1, Math::max);
      } catch (IllegalArgumentException e) {
        LOG.warn("snapshot {}-{}@{} ignored: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
      }
    });
    Map<Integer, PartitionSnapshot> loaded = new HashMap<>();
    bySlot.forEach((partition, slots) -> slots.forEach((slot, chunks) ->
        SnapshotCodec.latestComplete(chunks).ifPresent(s -> {
          PartitionSnapshot best = loaded.get(partition);
          if (best == null || s.nextOffset() > best.nextOffset()) {
            loaded.put(partition, s);
            currentSlot.put(partition, slot);
          }
        })));
    return loaded;
  }

  /** Writes the snapshot as chunks and waits until each is durable; a failure is logged, not thrown. */
  public synchronized void write(PartitionSnapshot snapshot) throws InterruptedException {
    int p = snapshot.partition();
    int partitions = producer.partitionsFor(topic).size();
    int target = p % partitions;
    int slot = 1 - currentSlot.getOrDefault(p, 1);
    String id = UUID.randomUUID().toString();
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    int written = 0;
    try {
      for (Iterator<byte[]> chunks = SnapshotCodec.encodeChunks(snapshot, id, chunkBytes); chunks.hasNext(); ) {
        sent.add(producer.send(new ProducerRecord<>(topic, target, key(p + "/" + slot + "/" + written), chunks.next())));
        written++;
      }
      for (Future<RecordMetadata> f : sent) {
        f.get();
      }
      currentSlot.put(p, slot);
      // chunks of the slot's previous, longer snapshot, and records of an older version: delete them
      List<Future<RecordMetadata>> deletes = new ArrayList<>();
      int before = chunksInSlot.getOrDefault(p + "/" + slot, 0);
      for (int i = written; i < before; i++) {
        deletes.add(producer.send(new ProducerRecord<>(topic, target, key(p + "/" + slot + "/" + i), null)));
      }
      for (String legacy : legacyKeys.getOrDefault(p, List.of())) {
        deletes.add(producer.send(new ProducerRecord<>(topic, target, key(legacy), null)));
      }
      for (Future<RecordMetadata> f : deletes) {
        f.get();
      }
      chunksInSlot.put(p + "/" + slot, written);
      legacyKeys.remove(p);
    } catch (ExecutionException e) {
      // the slot now holds a torn snapshot, which loads ignore; the other slot is untouched
      chunksInSlot.merge(p + "/" + slot, written, Math::max);
      LOG.warn("snapshot of partition {} not written: {}", p, e.getCause().toString());
    }
  }

  private static byte[] key(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
