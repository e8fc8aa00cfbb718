package io.spanlog.discovery.log;

import io.spanlog.discovery.PartitionSnapshot;
import io.spanlog.discovery.SnapshotCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoint topic: now and then, the projection of events partition p is appended to
 * partition p in the snapshot's own encoding ({@link SnapshotCodec} chunks, each naming the
 * events offset it covers), with the instant it was taken as the record timestamp. Unlike the
 * compacted snapshot topic, which keeps only the latest per partition, this one is retained like
 * the events, so the state at any instant can start from the newest checkpoint before it
 * ({@code offsetsForTimes}, then a step back) instead of the start of the topic.
 *
 * <p>Every events offset below a checkpoint's {@code nextOffset} was appended before the
 * checkpoint was taken; a reader still checks it against the events offset it needs, so clock
 * skew between instances costs only a longer replay, never a wrong state.
 */
public final class CheckpointStore {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);

  private final String topic;
  private final Producer<byte[], byte[]> producer;
  private final int chunkBytes;

  public CheckpointStore(String topic, Producer<byte[], byte[]> producer) {
    this(topic, producer, SnapshotCodec.DEFAULT_CHUNK_BYTES);
  }

  /** @param chunkBytes size at which a chunk record is closed (tests use small ones) */
  public CheckpointStore(String topic, Producer<byte[], byte[]> producer, int chunkBytes) {
    this.topic = topic;
    this.producer = producer;
    this.chunkBytes = chunkBytes;
  }

  public String topic() {
    return topic;
  }

  /**
   * Appends the snapshot as a checkpoint taken at {@code at} and waits until each chunk is
   * durable. A failure is logged, not thrown: a missing checkpoint costs a longer replay.
   *
   * @return whether every chunk was written
   */
  public boolean write(PartitionSnapshot snapshot, Instant at) throws InterruptedException {
    int p = snapshot.partition();
    int target = p % producer.partitionsFor(topic).size();
    byte[] key = String.valueOf(p).getBytes(StandardCharsets.UTF_8);
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    try {
      for (Iterator<byte[]> chunks = SnapshotCodec.encodeChunks(snapshot, UUID.randomUUID().toString(), chunkBytes);
          chunks.hasNext(); ) {
        sent.add(producer.send(new ProducerRecord<>(topic, target, at.toEpochMilli(), key, chunks.next())));
      }
      for (Future<RecordMetadata> f : sent) {
        f.get();
      }
      return true;
    } catch (ExecutionException e) {
      // a torn checkpoint (some chunks only) is ignored by readers, who take an older whole one
      LOG.warn("checkpoint of partition {} not written: {}", p, e.getCause().toString());
      return false;
    }
  }
}
