package io.spanlog.events;

import java.util.HashMap;
import java.util.Map;
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
  TELEMETRY_SEALED_BATCH("telemetry.sealed-batch", 1, SealedSampleBatch.class),
  LINK_STATE_CHANGED("link.state-changed", 2, LinkStateChanged.class),
  ENDPOINT_OBSERVED("endpoint.observed", 2, EndpointObserved.class),
  LINK_FLAPPING("link.flapping", 1, LinkFlapping.class),
  LINK_FLAPPING_CLEARED("link.flapping-cleared", 1, LinkFlappingCleared.class),
  LINK_ASYMMETRIC("link.asymmetric", 1, LinkAsymmetric.class),
  LINK_ASYMMETRY_CLEARED("link.asymmetry-cleared", 1, LinkAsymmetryCleared.class),
  NODE_SILENT("node.silent", 1, NodeSilent.class),
  NODE_REPORTING_AGAIN("node.reporting-again", 1, NodeReportingAgain.class),
  LINK_METRICS_WINDOW("link.metrics-window", 1, LinkMetricsWindow.class),
  REACHABILITY_CHANGED("reachability.changed", 1, ReachabilityChanged.class),
  PEER_SPEC_DRIFT("peer-spec.drift", 1, PeerSpecDrift.class),
  PEER_SPEC_DRIFT_CLEARED("peer-spec.drift-cleared", 1, PeerSpecDriftCleared.class);

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

  private static final Map<String, EventType> BY_WIRE_NAME = new HashMap<>();

  static {
    for (EventType t : values()) {
      BY_WIRE_NAME.put(t.wireName, t);
    }
  }

  public static Optional<EventType> byWireName(String name) {
    return Optional.ofNullable(BY_WIRE_NAME.get(name));
  }

  /** {@link #byWireName}, without the Optional: for the decoder, once per record. */
  static EventType byWireNameOrNull(String name) {
    return BY_WIRE_NAME.get(name);
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
