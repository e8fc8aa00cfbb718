package io.spanlog.history.timeline;

import io.spanlog.events.EndpointSource;
import java.time.Instant;
import java.util.Objects;

/**
 * The observing node started using an endpoint for the peer.
 *
 * @param index its position in the peer's candidate list (0-based), -1 if unknown
 * @param candidates how many candidates the peer had then
 */
public record EndpointMark(Instant at, String endpoint, EndpointSource source, int index, int candidates) {
  public EndpointMark {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(source, "source");
  }
}
