package io.spanlog.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spanlog.events.Blob;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A partition snapshot as chunk records: any size fits, and a snapshot is used whole or not at all. */
class SnapshotChunksTest {
  static final Instant T = Instant.parse("2026-11-25T10:00:00.123456789Z");

  /** An affiliate filled to every limit of the spec: the worst case a snapshot must hold. */
  static AffiliateState fullAffiliate(Random rnd, String id) {
    byte[] data = new byte[DiscoveryLimits.MAX_AFFILIATE_DATA_BYTES];
    rnd.nextBytes(data);
    List<EndpointState> endpoints = new ArrayList<>();
    for (int i = 0; i < DiscoveryLimits.MAX_ENDPOINTS_PER_AFFILIATE; i++) {
      byte[] e = new byte[DiscoveryLimits.MAX_ENDPOINT_BYTES];
      rnd.nextBytes(e);
      endpoints.add(new EndpointState(Blob.of(e), T));
    }
    return new AffiliateState(id, Blob.of(data), T, endpoints);
  }

  static PartitionSnapshot snapshot(int clusters, int affiliatesEach, long nextOffset) {
    Random rnd = new Random(7);
    Map<String, ClusterState> states = new LinkedHashMap<>();
    for (int c = 0; c < clusters; c++) {
      List<AffiliateState> list = new ArrayList<>();
      for (int a = 0; a < affiliatesEach; a++) {
        list.add(fullAffiliate(rnd, "a" + a));
      }
      states.put("c" + c, ClusterState.of(list));
    }
    return new PartitionSnapshot(2, nextOffset, states);
  }

  static List<SnapshotCodec.Chunk> chunks(PartitionSnapshot s, String id, int bytes) {
    List<SnapshotCodec.Chunk> out = new ArrayList<>();
    for (Iterator<byte[]> it = SnapshotCodec.encodeChunks(s, id, bytes); it.hasNext(); ) {
      byte[] record = it.next();
      assertThat(record.length).as("chunk size").isLessThan(bytes + 16 * 1024);
      out.add(SnapshotCodec.decodeChunk(record));
    }
    return out;
  }

  @Test
  void aSnapshotSplitIntoChunksComesBackEqualWithClustersSpanningChunks() {
    PartitionSnapshot s = snapshot(3, 40, 1234);
    List<SnapshotCodec.Chunk> parts = chunks(s, "snap-1", 64 * 1024);
    assertThat(parts).hasSizeGreaterThan(3);
    assertThat(parts).filteredOn(SnapshotCodec.Chunk::last).singleElement().extracting(SnapshotCodec.Chunk::index)
        .isEqualTo(parts.size() - 1);
    assertThat(SnapshotCodec.assemble(parts)).isEqualTo(s);
    List<SnapshotCodec.Chunk> shuffled = new ArrayList<>(parts);
    java.util.Collections.reverse(shuffled);
    assertThat(SnapshotCodec.assemble(shuffled)).isEqualTo(s);
  }

  @Test
  void anEmptyPartitionIsOneChunk() {
    List<SnapshotCodec.Chunk> parts = chunks(PartitionSnapshot.empty(4), "e", 1024);
    assertThat(parts).singleElement().satisfies(c -> assertThat(c.last()).isTrue());
    assertThat(SnapshotCodec.assemble(parts)).isEqualTo(PartitionSnapshot.empty(4));
  }

  @Test
  void aSnapshotMissingAChunkOrMixedWithAnotherIsNeverUsed() {
    PartitionSnapshot older = snapshot(2, 30, 100);
    PartitionSnapshot newer = snapshot(3, 30, 200);
    List<SnapshotCodec.Chunk> a = chunks(older, "old", 64 * 1024);
    List<SnapshotCodec.Chunk> b = chunks(newer, "new", 64 * 1024);

    List<SnapshotCodec.Chunk> all = new ArrayList<>(a);
    all.addAll(b);
    assertThat(SnapshotCodec.latestComplete(all)).contains(newer);

    // the writer died before the last chunk of the newer one: the older one, whole
    List<SnapshotCodec.Chunk> torn = new ArrayList<>(a);
    torn.addAll(b.subList(0, b.size() - 1));
    assertThat(SnapshotCodec.latestComplete(torn)).contains(older);

    // a middle chunk lost: neither the newer one nor a mix of both
    List<SnapshotCodec.Chunk> holed = new ArrayList<>(b);
    holed.remove(1);
    assertThat(SnapshotCodec.latestComplete(holed)).isEmpty();
    assertThatThrownBy(() -> SnapshotCodec.assemble(holed)).hasMessageContaining("misses chunk 1");

    // same index from another snapshot does not fill the hole
    List<SnapshotCodec.Chunk> mixed = new ArrayList<>(holed);
    mixed.add(a.get(1));
    assertThat(SnapshotCodec.latestComplete(mixed)).isEmpty();
  }

  /**
   * The sizing arithmetic of DiscoveryConfig's caps, measured: one affiliate at every limit
   * (2048 B data, 64 × 32 B endpoints, 256 B id) takes under 11 KiB of snapshot JSON.
   */
  @Test
  void aFullAffiliateTakesUnder11KibOfSnapshot() {
    AffiliateState full = fullAffiliate(new Random(1), "x".repeat(DiscoveryLimits.MAX_AFFILIATE_ID_BYTES));
    PartitionSnapshot one = new PartitionSnapshot(0, 1, Map.of("c", ClusterState.of(List.of(full))));
    int bytes = SnapshotCodec.encode(one, "s").length;
    System.out.printf("one affiliate at every limit: %d bytes of snapshot JSON%n", bytes);
    assertThat(bytes).isLessThan(11 * 1024);
  }
}
