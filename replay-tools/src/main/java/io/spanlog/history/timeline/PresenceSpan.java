package io.spanlog.history.timeline;

import java.time.Instant;
import java.util.Objects;

/**
 * A stretch of time in which one end reported (or not) and reached its discovery service (or
 * not): one band of the "discovery" rows.
 */
public record PresenceSpan(Instant from, Instant to, Presence presence) {
  /** What is known of an end's reporting in a stretch. */
  public enum Presence {
    /** Its samples say its discovery service answered. */
    REACHES_DISCOVERY,
    /** Its samples say its discovery service did not answer. */
    CANNOT_REACH_DISCOVERY,
    /** No sample of it covers the stretch (silent, down, or cut off). */
    SILENT,
    /** Nothing in the log says. */
    UNKNOWN
  }

  public PresenceSpan {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(presence, "presence");
  }
}
