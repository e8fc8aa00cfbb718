package io.spanlog.discovery.ownership;

import io.spanlog.discovery.log.SnapshotStore;
import io.spanlog.discovery.projection.ClusterProjection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes the projection's snapshot of each owned events partition, so an instance that starts
 * later folds only the tail of the log. A partition whose folded offset has not moved since its
 * last snapshot is skipped: the snapshot topic is compacted, but rewriting the same state is
 * still a write.
 */
public final class SnapshotWriter {
  private final ClusterProjection view;
  private final SnapshotStore store;
  private final Map<Integer, Long> written = new ConcurrentHashMap<>();

  public SnapshotWriter(ClusterProjection view, SnapshotStore store) {
    this.view = view;
    this.store = store;
  }

  /** Snapshots {@code partitions} that moved since their last snapshot; waits until each is durable. */
  public void write(Set<Integer> partitions) throws InterruptedException {
    for (int p : partitions) {
      long offset = view.nextOffset(p);
      if (offset > 0 && !Long.valueOf(offset).equals(written.get(p))) {
        store.write(view.snapshot(p));
        written.put(p, offset);
      }
    }
  }
}
