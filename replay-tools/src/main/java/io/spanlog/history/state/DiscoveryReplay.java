package io.spanlog.history.state;

import io.spanlog.discovery.ApplyOutcome;
import io.spanlog.discovery.ClusterState;
import io.spanlog.discovery.DiscoveryFold;
import io.spanlog.discovery.Notification;
import io.spanlog.history.HistoryException;
import io.spanlog.history.checkpoint.Checkpoint;
import io.spanlog.history.checkpoint.CheckpointFinder;
import io.spanlog.history.read.LogReader;
import io.spanlog.history.read.ReadStats;
import io.spanlog.history.read.Scan;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;

/**
 * One cluster's discovery state at an instant, rebuilt from the log with the service's own pure
 * fold ({@link DiscoveryFold}): from the newest checkpoint before the instant (else the start of
 * the events partition), folding the cluster's events up to the last one at or before it.
 */
public final class DiscoveryReplay {
  private final LogReader reader;
  private final String eventsTopic;
  private final CheckpointFinder checkpoints;

  public DiscoveryReplay(LogReader reader, String eventsTopic, String checkpointsTopic) {
    this.reader = reader;
    this.eventsTopic = eventsTopic;
    this.checkpoints = new CheckpointFinder(reader, checkpointsTopic);
  }

  /**
   * The state and how it was rebuilt.
   *
   * @param lastChange per affiliate, the time of the last event that changed it; absent for one
   *     unchanged since the checkpoint (then it changed at or before {@code checkpoint.takenAt})
   * @param endOffset the events offset folded up to (exclusive)
   * @param events what the read of the events went through (the records counted are those read
   *     after the checkpoint)
   * @param seen whether the cluster had any event or affiliate in what was read
   */
  public record Result(String cluster, Instant at, ClusterState state, Map<String, Instant> lastChange,
      Optional<Checkpoint> checkpoint, TopicPartition partition, long endOffset, ReadStats events, boolean seen) {}

  /**
   * The state at {@code at}: every event whose record time is at or before it.
   *
   * @throws HistoryException when {@code at} is before the log's retained start, or the cluster
   *     has no event in the partition at all
   */
  public Result at(String cluster, Instant at) {
    TopicPartition tp = reader.partitions(eventsTopic, Optional.of(cluster)).get(0);
    long end = Math.min(reader.offsetAt(tp, at.plusMillis(1)), reader.endOffsets(List.of(tp)).get(tp));
    Result r = upTo(cluster, at, end, true);
    if (!r.seen()) {
      requireKnown(cluster, tp);
    }
    if (r.checkpoint().isEmpty()) {
      Optional<Instant> earliest = reader.earliestTime(tp);
      if (earliest.isPresent() && at.isBefore(earliest.get())) {
        throw new HistoryException("the log holds nothing before " + earliest.get() + " (the earliest time"
            + " available for cluster " + cluster + ", in " + tp + "); " + at + " is before it");
      }
    }
    return r;
  }

  /**
   * The state after folding the events partition up to {@code endOffset} (exclusive), from the
   * newest checkpoint at or before {@code at} that fits when {@code useCheckpoints}.
   */
  public Result upTo(String cluster, Instant at, long endOffset, boolean useCheckpoints) {
    TopicPartition tp = reader.partitions(eventsTopic, Optional.of(cluster)).get(0);
    Optional<Checkpoint> checkpoint = useCheckpoints
        ? checkpoints.newestBefore(tp.partition(), at, endOffset) : Optional.empty();
    long begin = reader.beginningOffsets(List.of(tp)).get(tp);
    if (checkpoint.isPresent() && checkpoint.get().snapshot().nextOffset() < begin) {
      checkpoint = Optional.empty(); // its tail is no longer retained: cannot be folded on
    }
    ClusterState[] state = {checkpoint.map(c -> c.snapshot().clusters().getOrDefault(cluster, ClusterState.EMPTY))
        .orElse(ClusterState.EMPTY)};
    long start = checkpoint.map(c -> c.snapshot().nextOffset()).orElse(begin);
    Map<String, Instant> lastChange = new HashMap<>();
    boolean[] seen = {!state[0].isEmpty()};
    ReadStats stats = reader.read(Scan.of(eventsTopic).cluster(cluster).startAt(tp, start).endAt(tp, endOffset), rec -> {
      seen[0] = true;
      ApplyOutcome outcome = DiscoveryFold.apply(state[0], rec.envelope());
      for (Notification n : outcome.notifications()) {
        String id = n instanceof Notification.Upsert u ? u.affiliate().id() : ((Notification.Deletion) n).affiliateId();
        lastChange.put(id, rec.envelope().at());
      }
      state[0] = outcome.state();
    });
    lastChange.keySet().retainAll(state[0].affiliates().stream().map(a -> a.id()).toList());
    return new Result(cluster, at, state[0], Map.copyOf(lastChange), checkpoint, tp, endOffset, stats, seen[0]);
  }

  /** @throws HistoryException when no record of the events partition belongs to {@code cluster} */
  private void requireKnown(String cluster, TopicPartition tp) {
    byte[] key = cluster.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    boolean[] found = {false};
    long[] searched = {0};
    long begin = reader.beginningOffsets(List.of(tp)).get(tp);
    long end = reader.endOffsets(List.of(tp)).get(tp);
    reader.readRaw(Map.of(tp, new long[] {begin, end}), r -> {
      searched[0]++;
      found[0] = r.key() != null && java.util.Arrays.equals(key, r.key());
      return !found[0];
    });
    if (!found[0]) {
      throw new HistoryException("unknown cluster '" + cluster + "': no event of it in " + eventsTopic
          + " (" + searched[0] + " records of its partition " + tp.partition() + " searched)");
    }
  }
}
