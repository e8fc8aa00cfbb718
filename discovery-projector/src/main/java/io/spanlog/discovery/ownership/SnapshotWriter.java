package io.spanlog.discovery.ownership;

import io.spanlog.discovery.PartitionSnapshot;
import io.spanlog.discovery.log.CheckpointStore;
import io.spanlog.discovery.log.SnapshotStore;
import io.spanlog.discovery.projection.ClusterProjection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes the projection's snapshot of each owned events partition, so an instance that starts
 * later folds only the tail of the log. A partition whose folded offset has not moved since its
 * last snapshot is skipped: the snapshot topic is compacted, but rewriting the same state is
 * still a write.
 *
 * <p>Next to a snapshot, when the {@link CheckpointPolicy} says so, the same state goes to the
 * checkpoint topic, which keeps them all: the history tools start there for any instant.
 */
public final class SnapshotWriter {
  private final ClusterProjection view;
  private final SnapshotStore store;
  private final Optional<CheckpointStore> checkpoints;
  private final CheckpointPolicy policy;
  private final Clock clock;
  private final Map<Integer, Long> written = new ConcurrentHashMap<>();
  private final Map<Integer, Long> checkpointed = new ConcurrentHashMap<>();
  private final Map<Integer, Instant> checkpointedAt = new ConcurrentHashMap<>();

  public SnapshotWriter(ClusterProjection view, SnapshotStore store) {
    this(view, store, Optional.empty(), CheckpointPolicy.DEFAULT, Clock.systemUTC());
  }

  public SnapshotWriter(ClusterProjection view, SnapshotStore store, Optional<CheckpointStore> checkpoints,
      CheckpointPolicy policy, Clock clock) {
    this.view = view;
    this.store = store;
    this.checkpoints = checkpoints;
    this.policy = policy;
    this.clock = clock;
  }

  /** Snapshots {@code partitions} that moved since their last snapshot; waits until each is durable. */
  public void write(Set<Integer> partitions) throws InterruptedException {
    for (int p : partitions) {
      long offset = view.nextOffset(p);
      if (offset > 0 && !Long.valueOf(offset).equals(written.get(p))) {
        PartitionSnapshot snapshot = view.snapshot(p);
        store.write(snapshot);
        written.put(p, offset);
        checkpoint(snapshot);
      }
    }
  }

  private void checkpoint(PartitionSnapshot snapshot) throws InterruptedException {
    if (checkpoints.isEmpty()) {
      return;
    }
    int p = snapshot.partition();
    Instant now = clock.instant();
    Instant last = checkpointedAt.get(p);
    Duration since = last == null ? Duration.ofDays(36500) : Duration.between(last, now);
    if (policy.due(snapshot.nextOffset(), checkpointed.getOrDefault(p, 0L), since)
        && checkpoints.get().write(snapshot, now)) {
      checkpointed.put(p, snapshot.nextOffset());
      checkpointedAt.put(p, now);
    }
  }
}
