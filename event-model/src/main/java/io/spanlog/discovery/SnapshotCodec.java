package io.spanlog.discovery;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.spanlog.events.EventCodec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON form of a {@link PartitionSnapshot} on the compacted snapshot topic. Clusters are
 * written sorted by id, so equal states give equal bytes.
 */
public final class SnapshotCodec {
  /** Bumped whenever the document changes shape; an unknown version is ignored (full replay). */
  public static final int SCHEMA = 1;

  private SnapshotCodec() {}

  record Document(int schema, int partition, long nextOffset, List<ClusterEntry> clusters) {}

  record ClusterEntry(String id, List<AffiliateState> affiliates) {}

  public static byte[] encode(PartitionSnapshot snapshot) {
    List<ClusterEntry> clusters = new ArrayList<>();
    new TreeMap<>(snapshot.clusters())
        .forEach((id, state) -> clusters.add(new ClusterEntry(id, List.copyOf(state.affiliates()))));
    try {
      return EventCodec.mapper()
          .writeValueAsBytes(
              new Document(SCHEMA, snapshot.partition(), snapshot.nextOffset(), clusters));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode snapshot", e);
    }
  }

  /**
   * @throws IllegalArgumentException when the bytes are not a snapshot of this schema
   */
  public static PartitionSnapshot decode(byte[] json) {
    Document doc;
    try {
      doc = EventCodec.mapper().readValue(json, Document.class);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("not a discovery snapshot: " + e.getMessage(), e);
    }
    if (doc.schema() != SCHEMA) {
      throw new IllegalArgumentException(
          "snapshot schema " + doc.schema() + " is not " + SCHEMA + " (this build)");
    }
    Map<String, ClusterState> clusters = new LinkedHashMap<>();
    for (ClusterEntry c : doc.clusters()) {
      clusters.put(c.id(), ClusterState.of(c.affiliates()));
    }
    return new PartitionSnapshot(doc.partition(), doc.nextOffset(), clusters);
  }
}
