package io.spanlog.discovery;

import io.spanlog.events.Blob;
import java.time.Instant;
import java.util.Objects;

/** One encrypted endpoint blob of an affiliate, with its own expiry. */
public record EndpointState(Blob blob, Instant expiry) {
  public EndpointState {
    Objects.requireNonNull(blob, "blob");
    Objects.requireNonNull(expiry, "expiry");
  }
}
