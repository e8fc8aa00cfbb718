package io.spanlog.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where an endpoint candidate of a peer came from: what an operator asks of a dead link first. */
public enum EndpointSource {
  /** One of the peer's own addresses, published by the peer. */
  ADVERTISED,
  /** The peer's public address as the discovery service saw it (Hello's client IP). */
  PUBLIC_IP,
  /** An address at which another node saw the peer's link up, published on the peer's behalf. */
  HARVESTED,
  /** Set by an operator in configuration. */
  CONFIGURED,
  /** Not attributable (e.g. learnt before provenance was recorded). */
  UNKNOWN;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  @JsonCreator
  public static EndpointSource fromWireName(String name) {
    for (EndpointSource s : values()) {
      if (s.wireName().equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown endpoint source '" + name + "'");
  }
}
