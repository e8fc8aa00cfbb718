package io.spanlog.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One event as it is stored: who said what about which subject of which cluster, and when.
 *
 * @param eventId unique id of this event (a UUID string), for de-duplication and audit
 * @param clusterId the cluster the event belongs to; also the Kafka record key, so a cluster's
 *     history is totally ordered on one partition
 * @param subject what the event is about: an affiliate id, a node, or a link "from/to"
 * @param at event time; the only way time enters any projection
 * @param producer who wrote it, e.g. {@code discovery-projector@host:3000}
 * @param payload the fact itself
 */
public record Envelope(
    String eventId, String clusterId, String subject, Instant at, String producer, Event payload) {

  public Envelope {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(clusterId, "clusterId");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(producer, "producer");
    Objects.requireNonNull(payload, "payload");
  }

  /** A new envelope with a fresh random event id. */
  public static Envelope of(
      String clusterId, String subject, Instant at, String producer, Event payload) {
    return new Envelope(UUID.randomUUID().toString(), clusterId, subject, at, producer, payload);
  }

  public EventType type() {
    return EventType.of(payload);
  }
}
