package io.spanlog.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A peer link's state as KubeSpan reports it. */
public enum PeerState {
  UNKNOWN,
  UP,
  DOWN;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static PeerState fromWireName(String name) {
    for (PeerState s : values()) {
      if (s.wireName().equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown peer state '" + name + "' (expected unknown, up or down)");
  }
}
