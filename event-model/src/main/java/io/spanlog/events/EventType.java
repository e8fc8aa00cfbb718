package io.spanlog.events;

import java.util.Arrays;
import java.util.Optional;

/**
 * The catalogue of event types: the name written in the envelope and the schema major this build
 * writes and reads (raised only for a breaking change; see {@link EventCodec}).
 */
public enum EventType {
  AFFILIATE_UPDATED("affiliate.updated", 1, AffiliateUpdated.class),
  AFFILIATE_DELETED("affiliate.deleted", 1, AffiliateDeleted.class),
  AFFILIATE_EXPIRED("affiliate.expired", 1, AffiliateExpired.class),
  ENDPOINTS_EXPIRED("endpoints.expired", 1, EndpointsExpired.class),
  HANDSHAKE_SAMPLE_BATCH("handshake.sample-batch", 1, HandshakeSampleBatch.class),
  LINK_STATE_CHANGED("link.state-changed", 1, LinkStateChanged.class),
  ENDPOINT_OBSERVED("endpoint.observed", 1, EndpointObserved.class);

  private final String wireName;
  private final int schema;
  private final Class<? extends Event> payloadClass;

  EventType(String wireName, int schema, Class<? extends Event> payloadClass) {
    this.wireName = wireName;
    this.schema = schema;
    this.payloadClass = payloadClass;
  }

  public String wireName() {
    return wireName;
  }

  public int schema() {
    return schema;
  }

  public Class<? extends Event> payloadClass() {
    return payloadClass;
  }

  public static Optional<EventType> byWireName(String name) {
    return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
  }

  public static EventType of(Event event) {
    for (EventType t : values()) {
      if (t.payloadClass.isInstance(event)) {
        return t;
      }
    }
    throw new IllegalStateException("unregistered event class " + event.getClass().getName());
  }
}
