package io.spanlog.history.verify;

import io.spanlog.discovery.ClusterState;
import io.spanlog.discovery.PartitionSnapshot;
import io.spanlog.discovery.log.KafkaSettings;
import io.spanlog.discovery.log.SnapshotStore;
import io.spanlog.history.read.LogAccess;
import io.spanlog.history.read.LogReader;
import io.spanlog.history.verify.ProjectionDiff.Difference;
import io.spanlog.history.verify.ProjectionDiff.ListedAffiliate;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code ctl history verify}: rebuilds the discovery projection from the events topic with the
 * service's fold ({@link LogProjection}) and compares it with a running service's List, and with
 * the service's latest snapshot of each partition.
 *
 * <p><b>The consistent point.</b> The log keeps moving while verify runs (refreshes, expiries
 * written by the service). The rule: the log is read up to its end E1, then each cluster is
 * Listed, then the log is read on up to its new end E2. A cluster agrees when its List answer
 * equals the log's state of it at some point between E1 and E2 (its state at E1 or after any of
 * its events in between), so an affiliate that expired (or was refreshed) between the read and
 * the List is no difference. A cluster that disagrees is asked again, up to {@link #ROUNDS}
 * rounds {@link #PAUSE} apart, since the service applies the log a moment after it is written;
 * only a difference that lasts through every round is reported, against the log's latest state.
 *
 * <p>The snapshot comparison is exact: the snapshot of events partition p says which offset it
 * covers, and the log's states of p's clusters folded up to that offset must equal it.
 */
public final class DiscoveryVerify {
  public static final int ROUNDS = 4;
  public static final Duration PAUSE = Duration.ofSeconds(1);

  /** The service's List of one cluster. */
  @FunctionalInterface
  public interface Lister {
    /** @throws IOException when the service does not answer (the message says why, in one sentence) */
    List<ListedAffiliate> list(String cluster) throws IOException;
  }

  /**
   * What verify found.
   *
   * @param clusters the clusters compared, in id order
   * @param againstService differences between the log and the service's List
   * @param againstSnapshot differences between the log and the service's latest snapshots
   * @param notes what was not compared, and why (one sentence each)
   */
  public record Report(List<String> clusters, List<Difference> againstService, List<Difference> againstSnapshot,
      List<String> notes, long eventsFolded, long recordsSkipped) {
    public boolean differs() {
      return !againstService.isEmpty() || !againstSnapshot.isEmpty();
    }
  }

  /** The cluster asked for is not in the log. */
  public static final class UnknownCluster extends Exception {
    private static final long serialVersionUID = 1L;

    UnknownCluster(String message) {
      super(message);
    }
  }

  private DiscoveryVerify() {}

  /**
   * Verifies {@code cluster} (empty: every cluster with an event in the log).
   *
   * @throws UnknownCluster when the log has no event of {@code cluster}
   * @throws IOException when the service cannot be asked (one sentence)
   * @throws IllegalStateException with a sentence when Kafka cannot be read (from {@link LogReader})
   */
  public static Report run(LogAccess access, LogReader reader, String eventsTopic, String snapshotsTopic,
      Optional<String> cluster, Lister service) throws UnknownCluster, IOException, InterruptedException {
    List<TopicPartition> parts = reader.partitions(eventsTopic, Optional.empty());
    Map<Integer, PartitionSnapshot> snapshots = new HashMap<>(loadSnapshots(access, reader, snapshotsTopic));
    boolean anySnapshot = !snapshots.isEmpty();
    LogProjection log = new LogProjection();
    List<String> notes = new ArrayList<>();
    Map<Integer, Long> snapshotOffset = new HashMap<>();
    snapshots.forEach((p, s) -> snapshotOffset.put(p, s.nextOffset()));
    Map<Integer, Map<String, ClusterState>> atSnapshot = new HashMap<>();

    Map<TopicPartition, Long> begin = reader.beginningOffsets(parts);
    begin.forEach((tp, offset) -> {
      if (offset > 0) {
        notes.add("events partition " + tp.partition() + " starts at offset " + offset
            + " (older records deleted by retention): its clusters are folded from there and can differ");
      }
    });
    Map<TopicPartition, Long> position = new HashMap<>(begin);
    Map<TopicPartition, Long> firstEnd = reader.endOffsets(parts);
    for (TopicPartition tp : parts) {
      Long at = snapshotOffset.get(tp.partition());
      if (at != null && (at > firstEnd.get(tp) || at < begin.get(tp))) {
        // e.g. a copy of the events topic, or a log whose start retention deleted: offsets do not line up
        notes.add("the snapshot of events partition " + tp.partition() + " covers offset " + at + " but "
            + eventsTopic + " holds offsets " + begin.get(tp) + " to " + firstEnd.get(tp)
            + " there: not the log that snapshot was made from; not compared");
        snapshots.remove(tp.partition());
        snapshotOffset.remove(tp.partition());
      }
    }
    readTo(reader, position, firstEnd, log, snapshotOffset, atSnapshot);

    if (cluster.isPresent() && !log.clusters().contains(cluster.get())) {
      throw new UnknownCluster("the log (" + eventsTopic + ") has no event of cluster '" + cluster.get() + "'"
          + (log.clusters().isEmpty() ? "; it holds no discovery event at all"
              : "; it knows " + log.clusters().size() + " cluster(s), e.g. '" + log.clusters().iterator().next() + "'"));
    }
    List<String> clusters = cluster.map(List::of).orElseGet(() -> List.copyOf(log.clusters()));

    List<Difference> againstService = new ArrayList<>();
    List<String> pending = clusters;
    for (int round = 1; round <= ROUNDS && !pending.isEmpty(); round++) {
      if (round > 1) {
        Thread.sleep(PAUSE.toMillis());
      }
      log.openWindow();
      Map<String, List<ListedAffiliate>> answers = new LinkedHashMap<>();
      for (String c : pending) {
        answers.put(c, service.list(c));
      }
      readTo(reader, position, reader.endOffsets(parts), log, snapshotOffset, atSnapshot);
      List<String> disagreeing = new ArrayList<>();
      againstService.clear();
      for (String c : pending) {
        List<ListedAffiliate> answer = answers.get(c);
        if (log.window(c).stream().noneMatch(state -> ProjectionDiff.agrees(state, answer))) {
          disagreeing.add(c);
          againstService.addAll(ProjectionDiff.againstList(c, log.state(c), answer));
        }
      }
      pending = disagreeing;
    }

    List<Difference> againstSnapshot = new ArrayList<>();
    Set<String> asked = Set.copyOf(clusters);
    for (TopicPartition tp : parts) {
      PartitionSnapshot snapshot = snapshots.get(tp.partition());
      if (snapshot == null) {
        continue;
      }
      Map<String, ClusterState> logAt = atSnapshot.getOrDefault(tp.partition(), Map.of());
      TreeSet<String> ids = new TreeSet<>(logAt.keySet());
      ids.addAll(snapshot.clusters().keySet());
      for (String c : ids) {
        if (asked.contains(c)) {
          againstSnapshot.addAll(ProjectionDiff.againstSnapshot(c, logAt.getOrDefault(c, ClusterState.EMPTY),
              snapshot.clusters().getOrDefault(c, ClusterState.EMPTY)));
        }
      }
    }
    if (!anySnapshot) {
      notes.add("no snapshot in " + snapshotsTopic + " yet: compared with the service's List only");
    }
    if (log.skipped() > 0) {
      notes.add(log.skipped() + " record(s) of " + eventsTopic
          + " could not be decoded or folded and were skipped, as the service skips them");
    }
    return new Report(clusters, List.copyOf(againstService), List.copyOf(againstSnapshot), List.copyOf(notes),
        log.applied(), log.skipped());
  }

  private static Map<Integer, PartitionSnapshot> loadSnapshots(LogAccess access, LogReader reader, String topic) {
    try {
      reader.partitions(topic, Optional.empty());
    } catch (IllegalStateException e) {
      return Map.of(); // no snapshot topic (a copy of the events, a service that never wrote one)
    }
    return new SnapshotStore(new KafkaSettings(access.bootstrap(), access.client()), topic, null).loadAll();
  }

  /**
   * Reads every partition from {@code position} up to {@code end}, moving {@code position}. Before
   * the record at (or past) a partition's snapshot offset is folded, that partition's states are
   * kept: the log as the snapshot saw it.
   */
  private static void readTo(LogReader reader, Map<TopicPartition, Long> position, Map<TopicPartition, Long> end,
      LogProjection log, Map<Integer, Long> snapshotOffset, Map<Integer, Map<String, ClusterState>> atSnapshot) {
    Map<TopicPartition, long[]> ranges = new LinkedHashMap<>();
    end.forEach((tp, e) -> ranges.put(tp, new long[] {position.get(tp), e}));
    reader.readRaw(ranges, r -> {
      capture(r.partition(), r.offset(), log, snapshotOffset, atSnapshot);
      log.apply(r.partition(), r.value());
      return true;
    });
    end.forEach((tp, e) -> {
      position.put(tp, Math.max(position.get(tp), e));
      capture(tp.partition(), e, log, snapshotOffset, atSnapshot);
    });
  }

  private static void capture(int partition, long offset, LogProjection log, Map<Integer, Long> snapshotOffset,
      Map<Integer, Map<String, ClusterState>> atSnapshot) {
    Long at = snapshotOffset.get(partition);
    if (at != null && offset >= at && !atSnapshot.containsKey(partition)) {
      atSnapshot.put(partition, log.partition(partition));
    }
  }
}
