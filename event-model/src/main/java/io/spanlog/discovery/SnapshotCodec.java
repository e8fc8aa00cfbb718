package io.spanlog.discovery;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spanlog.events.EventCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The JSON form of a {@link PartitionSnapshot} on the compacted snapshot topic, as a sequence of
 * chunks: one record per chunk, each well below Kafka's usual 1 MiB record limit, so a partition
 * snapshot has no size ceiling (the 64 MiB single record of schema 1 had one: about 7,000
 * affiliates filled to the spec's limits).
 *
 * <p>Every chunk names its snapshot (an id chosen by the writer), its index, and whether it is
 * the last; a snapshot is used only when every chunk 0..last of the same id is present
 * ({@link #latestComplete}), otherwise it is ignored and the partition is replayed: all chunks of
 * one snapshot or none. Clusters are written sorted by id and affiliates in their order, so equal
 * states give equal bytes; a cluster may continue from one chunk into the next.
 */
public final class SnapshotCodec {
  /** Bumped whenever the document changes shape; an unknown version is ignored (full replay). */
  public static final int SCHEMA = 2;

  /** A chunk is closed once it passes this many bytes: one affiliate (≤ ~11 KiB) under 1 MiB. */
  public static final int DEFAULT_CHUNK_BYTES = 900 * 1024;

  private SnapshotCodec() {}

  record Document(
      int schema,
      int partition,
      long nextOffset,
      String snapshot,
      int chunk,
      List<ClusterPart> clusters,
      boolean last) {}

  /** Some affiliates of one cluster, in order; the rest may follow in the next chunk. */
  public record ClusterPart(String id, List<AffiliateState> affiliates) {
    public ClusterPart {
      Objects.requireNonNull(id, "id");
      affiliates = List.copyOf(affiliates);
    }
  }

  /** One decoded record of the snapshot topic. */
  public record Chunk(
      int partition, long nextOffset, String snapshotId, int index, boolean last, List<ClusterPart> clusters) {
    public Chunk {
      Objects.requireNonNull(snapshotId, "snapshotId");
      clusters = List.copyOf(clusters);
    }
  }

  /**
   * The snapshot as chunk records, encoded one at a time as the iterator advances (the writer
   * holds one chunk, not the whole snapshot). There is always at least one chunk.
   *
   * @param snapshotId names this snapshot in each of its chunks; a new one for every write
   * @param chunkBytes a chunk is closed as soon as it passes this size
   */
  public static Iterator<byte[]> encodeChunks(PartitionSnapshot snapshot, String snapshotId, int chunkBytes) {
    Objects.requireNonNull(snapshotId, "snapshotId");
    if (chunkBytes <= 0) {
      throw new IllegalArgumentException("chunkBytes must be positive");
    }
    List<Map.Entry<String, List<AffiliateState>>> clusters = new ArrayList<>();
    new TreeMap<>(snapshot.clusters())
        .forEach((id, state) -> clusters.add(Map.entry(id, List.copyOf(state.affiliates()))));
    return new Iterator<>() {
      int cluster;
      int affiliate;
      int index;
      boolean done;

      @Override
      public boolean hasNext() {
        return !done;
      }

      @Override
      public byte[] next() {
        if (done) {
          throw new NoSuchElementException();
        }
        ObjectMapper mapper = EventCodec.mapper();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
          g.writeStartObject();
          g.writeNumberField("schema", SCHEMA);
          g.writeNumberField("partition", snapshot.partition());
          g.writeNumberField("nextOffset", snapshot.nextOffset());
          g.writeStringField("snapshot", snapshotId);
          g.writeNumberField("chunk", index++);
          g.writeArrayFieldStart("clusters");
          boolean full = false;
          while (!full && cluster < clusters.size()) {
            var entry = clusters.get(cluster);
            g.writeStartObject();
            g.writeStringField("id", entry.getKey());
            g.writeArrayFieldStart("affiliates");
            while (affiliate < entry.getValue().size()) {
              mapper.writeValue(g, entry.getValue().get(affiliate++));
              g.flush();
              if (out.size() >= chunkBytes) {
                full = true;
                break;
              }
            }
            g.writeEndArray();
            g.writeEndObject();
            if (affiliate == entry.getValue().size()) {
              cluster++;
              affiliate = 0;
            }
          }
          g.writeEndArray();
          done = cluster == clusters.size();
          g.writeBooleanField("last", done);
          g.writeEndObject();
        } catch (IOException e) {
          throw new UncheckedIOException("cannot encode snapshot", e);
        }
        return out.toByteArray();
      }
    };
  }

  /** The snapshot as one chunk: tests and tools that want a single document. */
  public static byte[] encode(PartitionSnapshot snapshot, String snapshotId) {
    Iterator<byte[]> chunks = encodeChunks(snapshot, snapshotId, Integer.MAX_VALUE);
    return chunks.next();
  }

  /**
   * @throws IllegalArgumentException when the bytes are not a snapshot chunk of this schema
   */
  public static Chunk decodeChunk(byte[] json) {
    Document doc;
    try {
      JsonNode tree = EventCodec.mapper().readTree(json);
      int schema = tree == null ? -1 : tree.path("schema").asInt(-1);
      if (schema != SCHEMA && schema >= 0) {
        throw new IllegalArgumentException(
            "snapshot schema " + schema + " is not " + SCHEMA + " (this build)");
      }
      doc = EventCodec.mapper().treeToValue(tree, Document.class);
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("not a discovery snapshot: " + e.getMessage(), e);
    }
    if (doc == null || doc.schema() != SCHEMA) {
      throw new IllegalArgumentException("not a discovery snapshot: no schema");
    }
    if (doc.snapshot() == null || doc.clusters() == null || doc.chunk() < 0) {
      throw new IllegalArgumentException("not a discovery snapshot: chunk without id, index or clusters");
    }
    return new Chunk(doc.partition(), doc.nextOffset(), doc.snapshot(), doc.chunk(), doc.last(), doc.clusters());
  }

  /**
   * One snapshot from all its chunks, in any order.
   *
   * @throws IllegalArgumentException when they are not exactly chunks 0..last of one snapshot
   */
  public static PartitionSnapshot assemble(Collection<Chunk> chunks) {
    if (chunks.isEmpty()) {
      throw new IllegalArgumentException("no chunks");
    }
    List<Chunk> ordered = chunks.stream().sorted(Comparator.comparingInt(Chunk::index)).toList();
    Chunk first = ordered.get(0);
    for (int i = 0; i < ordered.size(); i++) {
      Chunk c = ordered.get(i);
      if (c.index() != i) {
        throw new IllegalArgumentException("snapshot " + first.snapshotId() + " misses chunk " + i);
      }
      if (!c.snapshotId().equals(first.snapshotId()) || c.partition() != first.partition()
          || c.nextOffset() != first.nextOffset()) {
        throw new IllegalArgumentException("chunks of different snapshots");
      }
      if (c.last() != (i == ordered.size() - 1)) {
        throw new IllegalArgumentException("snapshot " + first.snapshotId() + " is incomplete");
      }
    }
    Map<String, List<AffiliateState>> affiliates = new LinkedHashMap<>();
    for (Chunk c : ordered) {
      for (ClusterPart part : c.clusters()) {
        affiliates.computeIfAbsent(part.id(), k -> new ArrayList<>()).addAll(part.affiliates());
      }
    }
    Map<String, ClusterState> clusters = new LinkedHashMap<>();
    affiliates.forEach((id, list) -> {
      if (!list.isEmpty()) {
        clusters.put(id, ClusterState.of(list));
      }
    });
    return new PartitionSnapshot(first.partition(), first.nextOffset(), clusters);
  }

  /**
   * The newest snapshot (highest offset covered) of which every chunk is present, among the chunks
   * of one partition; a snapshot missing any chunk, or mixing in another's, is never used.
   */
  public static Optional<PartitionSnapshot> latestComplete(Collection<Chunk> chunks) {
    Map<String, List<Chunk>> bySnapshot = chunks.stream().collect(Collectors.groupingBy(Chunk::snapshotId));
    PartitionSnapshot best = null;
    for (List<Chunk> one : bySnapshot.values()) {
      PartitionSnapshot s;
      try {
        s = assemble(one);
      } catch (IllegalArgumentException incomplete) {
        continue;
      }
      if (best == null || s.nextOffset() > best.nextOffset()) {
        best = s;
      }
    }
    return Optional.ofNullable(best);
  }

  /** A single-chunk document back to its snapshot (the inverse of {@link #encode}). */
  public static PartitionSnapshot decode(byte[] json) {
    return assemble(List.of(decodeChunk(json)));
  }
}
