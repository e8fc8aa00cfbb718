package io.spanlog.discovery.projection;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.discovery.ClusterState;
import io.spanlog.discovery.PartitionSnapshot;
import io.spanlog.events.AffiliateDeleted;
import io.spanlog.events.AffiliateUpdated;
import io.spanlog.events.Blob;
import io.spanlog.events.Envelope;
import io.spanlog.events.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The projection keeps its clusters by partition too, so a partition's snapshot copies that
 * partition only: the per-partition index must always say what a walk over every cluster says,
 * through updates, deletes and snapshot loads.
 */
class ClusterProjectionPartitionsTest {
  static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

  static Envelope event(String cluster, Event e) {
    return Envelope.of(cluster, "a", T0, "test", e);
  }

  static AffiliateUpdated update(String id) {
    return new AffiliateUpdated(id, Optional.of(Blob.of(id.getBytes())), List.of(), Duration.ofMinutes(30), Optional.empty());
  }

  @Test
  void eachPartitionsSnapshotHoldsExactlyItsClustersThroughUpdatesDeletesAndLoads() {
    ClusterProjection view = new ClusterProjection();
    Map<String, Integer> partitionOf = new HashMap<>();
    long[] offsets = new long[3];
    Random random = new Random(16);
    for (int i = 0; i < 2_000; i++) {
      String cluster = "c" + random.nextInt(50);
      int p = partitionOf.computeIfAbsent(cluster, c -> Math.floorMod(c.hashCode(), 3));
      String affiliate = "a" + random.nextInt(4);
      Event e = random.nextInt(3) == 0 ? new AffiliateDeleted(affiliate, Optional.empty()) : update(affiliate);
      view.apply(p, offsets[p]++, event(cluster, e));
      if (i % 500 == 499) {
        // a reload of partition 1 from its own snapshot changes nothing
        view.load(view.snapshot(1));
      }
    }
    Map<String, ClusterState> all = view.allClusters();
    for (int p = 0; p < 3; p++) {
      int partition = p;
      Map<String, ClusterState> expected = new HashMap<>();
      all.forEach((id, state) -> {
        if (partitionOf.get(id) == partition) {
          expected.put(id, state);
        }
      });
      PartitionSnapshot s = view.snapshot(p);
      assertThat(s.clusters()).isEqualTo(expected);
      assertThat(s.nextOffset()).isEqualTo(offsets[p]);
    }
    assertThat(view.clusterCount()).isEqualTo(all.size());

    // a snapshot load replaces that partition's clusters, and only those
    view.load(new PartitionSnapshot(2, offsets[2], Map.of()));
    assertThat(view.snapshot(2).clusters()).isEmpty();
    assertThat(view.allClusters().keySet()).allMatch(id -> partitionOf.get(id) != 2);
    assertThat(view.clusterCount()).isEqualTo(view.allClusters().size());
    assertThat(view.affiliateCount()).isEqualTo(view.allClusters().values().stream().mapToLong(ClusterState::size).sum());
  }
}
