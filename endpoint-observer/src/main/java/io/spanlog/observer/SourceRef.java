package io.spanlog.observer;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

/**
 * Where a telemetry record sits in the log. Every event derived from it gets its id from here
 * and its position among them, so two runs over the same input give the same ids and can be
 * compared record by record (and a duplicate from a retried run is recognisable).
 */
public record SourceRef(String topic, int partition, long offset) {
  public SourceRef {
    Objects.requireNonNull(topic, "topic");
  }

  /** The id of the {@code index}-th event derived from this record: a name-based UUID. */
  public String derivedId(int index) {
    String name = "spanlog.observer:" + topic + "/" + partition + "@" + offset + "#" + index;
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
