package io.spanlog.history.checkpoint;

import io.spanlog.discovery.PartitionSnapshot;
import io.spanlog.discovery.SnapshotCodec;
import io.spanlog.history.read.LogReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;

/**
 * Finds the newest whole checkpoint of an events partition taken at or before an instant, that
 * covers no event past a given offset: {@code offsetsForTimes} on the checkpoint topic gives the
 * first checkpoint record after the instant, then the finder steps back a window of records at a
 * time (doubling), until a window holds a whole checkpoint (every chunk, {@link
 * SnapshotCodec#latestComplete}) that fits. A torn or unreadable checkpoint is passed over.
 */
public final class CheckpointFinder {
  static final int FIRST_WINDOW = 32;

  private final LogReader reader;
  private final String topic;

  public CheckpointFinder(LogReader reader, String checkpointTopic) {
    this.reader = reader;
    this.topic = checkpointTopic;
  }

  /**
   * @param eventsPartition the events partition (checkpoint partition p holds events partition p)
   * @param at the instant the state is wanted at
   * @param eventsEnd the events offset the state is wanted up to (exclusive): a checkpoint is used
   *     only if it covers no event at or past it
   * @return empty when the topic is missing or holds no such checkpoint
   */
  public Optional<Checkpoint> newestBefore(int eventsPartition, Instant at, long eventsEnd) {
    List<TopicPartition> parts;
    try {
      parts = reader.partitions(topic, Optional.empty());
    } catch (IllegalStateException noTopic) {
      return Optional.empty(); // a log written before checkpoints existed: replay from the start
    }
    TopicPartition tp = new TopicPartition(topic, eventsPartition % parts.size());
    long begin = reader.beginningOffsets(List.of(tp)).get(tp);
    long hi = reader.offsetAt(tp, at.plusMillis(1));
    long window = FIRST_WINDOW;
    List<SnapshotCodec.Chunk> chunks = new ArrayList<>();
    Map<String, Long> takenAt = new HashMap<>();
    long records = 0;
    while (hi > begin) {
      long lo = Math.max(begin, hi - window);
      long[] count = {0};
      reader.readRaw(Map.of(tp, new long[] {lo, hi}), r -> {
        count[0]++;
        if (r.value() != null && r.timestamp() <= at.toEpochMilli()) {
          try {
            SnapshotCodec.Chunk c = SnapshotCodec.decodeChunk(r.value());
            if (c.partition() == eventsPartition && c.nextOffset() <= eventsEnd) {
              chunks.add(c);
              takenAt.merge(c.snapshotId(), r.timestamp(), Math::max);
            }
          } catch (IllegalArgumentException unreadable) {
            // not a checkpoint this build reads: passed over
          }
        }
        return true;
      });
      records += count[0];
      Optional<PartitionSnapshot> best = SnapshotCodec.latestComplete(chunks);
      if (best.isPresent()) {
        String id = chunks.stream()
            .filter(c -> c.nextOffset() == best.get().nextOffset())
            .map(SnapshotCodec.Chunk::snapshotId)
            .filter(takenAt::containsKey)
            .findFirst().orElseThrow();
        return Optional.of(new Checkpoint(best.get(), Instant.ofEpochMilli(takenAt.get(id)), records));
      }
      hi = lo;
      window *= 2;
    }
    return Optional.empty();
  }
}
