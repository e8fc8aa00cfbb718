package io.spanlog.discovery;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The discovery projection of one events partition, and the offset it covers: folding the
 * events from {@code nextOffset} on onto these clusters gives the same state as folding the
 * whole partition.
 *
 * @param partition the events partition (also the snapshot record's key)
 * @param nextOffset the first events offset not yet applied
 * @param clusters the non-empty clusters of that partition, by id
 */
public record PartitionSnapshot(int partition, long nextOffset, Map<String, ClusterState> clusters) {
  public PartitionSnapshot {
    if (partition < 0 || nextOffset < 0) {
      throw new IllegalArgumentException("partition and offset must not be negative");
    }
    Objects.requireNonNull(clusters, "clusters");
    clusters = Map.copyOf(new LinkedHashMap<>(clusters));
  }

  public static PartitionSnapshot empty(int partition) {
    return new PartitionSnapshot(partition, 0, Map.of());
  }

  public int affiliateCount() {
    return clusters.values().stream().mapToInt(ClusterState::size).sum();
  }
}
