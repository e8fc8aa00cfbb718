package io.spanlog.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spanlog.events.AffiliateDeleted;
import io.spanlog.events.AffiliateUpdated;
import io.spanlog.events.Blob;
import io.spanlog.events.Envelope;
import io.spanlog.events.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The fold of a snapshot plus the tail equals the fold of the whole log, at any cut. */
class SnapshotReplayTest {
  static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

  /** A random log of one partition: updates, deletes and GC decisions over a few clusters. */
  static List<Envelope> randomLog(Random rnd, int length) {
    List<Envelope> log = new ArrayList<>();
    Map<String, ClusterState> state = new HashMap<>();
    Instant now = T0;
    for (int i = 0; i < length; i++) {
      now = now.plusMillis(rnd.nextInt(4000));
      String cluster = "c" + rnd.nextInt(3);
      String affiliate = "a" + rnd.nextInt(8);
      int kind = rnd.nextInt(10);
      List<Event> events = new ArrayList<>();
      if (kind < 6) {
        List<Blob> endpoints = new ArrayList<>();
        for (int e = rnd.nextInt(4); e > 0; e--) {
          endpoints.add(Blob.of(new byte[] {(byte) rnd.nextInt(12), 7}));
        }
        Optional<Blob> data =
            rnd.nextBoolean() ? Optional.of(Blob.of(new byte[] {(byte) rnd.nextInt()})) : Optional.empty();
        events.add(
            new AffiliateUpdated(
                affiliate, data, endpoints, Duration.ofSeconds(rnd.nextInt(40) - 5), Optional.empty()));
      } else if (kind < 7) {
        events.add(new AffiliateDeleted(affiliate, Optional.empty()));
      } else {
        events.addAll(ExpiryPlanner.plan(state.getOrDefault(cluster, ClusterState.EMPTY), now));
      }
      for (Event e : events) {
        Envelope env = Envelope.of(cluster, affiliate, now, "test", e);
        log.add(env);
        state.put(cluster, DiscoveryFold.apply(state.getOrDefault(cluster, ClusterState.EMPTY), env).state());
      }
    }
    return log;
  }

  static Map<String, ClusterState> fold(Map<String, ClusterState> start, List<Envelope> events) {
    Map<String, ClusterState> state = new HashMap<>(start);
    for (Envelope env : events) {
      ClusterState next =
          DiscoveryFold.apply(state.getOrDefault(env.clusterId(), ClusterState.EMPTY), env).state();
      if (next.isEmpty()) {
        state.remove(env.clusterId());
      } else {
        state.put(env.clusterId(), next);
      }
    }
    return state;
  }

  @RepeatedTest(20)
  void snapshotPlusTailEqualsFullReplay() {
    Random rnd = new Random();
    long seed = rnd.nextLong();
    rnd.setSeed(seed);
    List<Envelope> log = randomLog(rnd, 400);
    Map<String, ClusterState> full = fold(Map.of(), log);
    assertThat(full).as("seed %d", seed).isNotEmpty();

    int cut = rnd.nextInt(log.size() + 1);
    PartitionSnapshot snap = new PartitionSnapshot(3, cut, fold(Map.of(), log.subList(0, cut)));
    PartitionSnapshot loaded = SnapshotCodec.decode(SnapshotCodec.encode(snap, "s1"));
    assertThat(loaded).isEqualTo(snap);

    Map<String, ClusterState> resumed =
        fold(loaded.clusters(), log.subList((int) loaded.nextOffset(), log.size()));
    assertThat(resumed).as("seed %d, cut %d", seed, cut).isEqualTo(full);
  }

  @Test
  void equalStatesEncodeToEqualBytes() {
    List<Envelope> log = randomLog(new Random(42), 300);
    PartitionSnapshot a = new PartitionSnapshot(0, log.size(), fold(Map.of(), log));
    PartitionSnapshot b = new PartitionSnapshot(0, log.size(), fold(Map.of(), log));
    assertThat(SnapshotCodec.encode(a, "s")).isEqualTo(SnapshotCodec.encode(b, "s"));
  }

  @Test
  void garbageIsRejectedWithAClearError() {
    assertThatThrownBy(() -> SnapshotCodec.decode("{\"schema\":2}".getBytes()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a discovery snapshot");
    // schema 1 was one record per partition: ignored, that partition is replayed
    assertThatThrownBy(
            () -> SnapshotCodec.decode("{\"schema\":1,\"partition\":0,\"nextOffset\":0,\"clusters\":[]}".getBytes()))
        .hasMessageContaining("schema 1");
    assertThatThrownBy(
            () -> SnapshotCodec.decode("{\"schema\":9,\"partition\":0,\"nextOffset\":0,\"clusters\":[]}".getBytes()))
        .hasMessageContaining("schema 9");
  }
}
