package io.spanlog.history.timeline;

import io.spanlog.events.EndpointSource;
import io.spanlog.events.PeerState;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A stretch of time in one link state: one band of the timeline.
 *
 * @param from inclusive
 * @param to exclusive
 * @param state the state; {@link PeerState#UNKNOWN} also where the log says nothing
 * @param rule the rule that set it, in words (empty where the log says nothing)
 * @param endpoint the endpoint in use when the state was entered
 * @param source where that endpoint came from
 */
public record StateSpan(
    Instant from, Instant to, PeerState state, String rule, Optional<String> endpoint, EndpointSource source) {
  public StateSpan {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(source, "source");
  }
}
