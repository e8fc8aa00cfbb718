package io.spanlog.observer.links;

import io.spanlog.events.EndpointSource;
import io.spanlog.events.PeerState;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the observer knows of one link: its current state and since when, the latest sample's
 * endpoint, counters and rule, and its flapping history. The value of the {@code observer.links}
 * store.
 *
 * @param nodeId the observing node's affiliate id
 * @param peerLabel the peer's node name, as the observing node labels it
 * @param state the current state
 * @param stateSince the first sample in {@code state}
 * @param stateStartSeen false while {@code state} is the one the link had at the first sample
 *     the observer saw (it may have begun earlier)
 * @param lastSampleAt the latest sample
 * @param endpoint the endpoint in use at the latest sample
 * @param endpointSource its provenance
 * @param rule the rule that set the state at the latest sample
 * @param rxBytes the receive counter at the latest sample
 * @param txBytes the transmit counter at the latest sample
 * @param flaps the flapping history
 */
public record LinkRecord(
    String nodeId,
    String peerLabel,
    PeerState state,
    Instant stateSince,
    boolean stateStartSeen,
    Instant lastSampleAt,
    Optional<String> endpoint,
    EndpointSource endpointSource,
    String rule,
    long rxBytes,
    long txBytes,
    FlapHistory flaps) {
  public LinkRecord {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(peerLabel, "peerLabel");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(stateSince, "stateSince");
    Objects.requireNonNull(lastSampleAt, "lastSampleAt");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(endpointSource, "endpointSource");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(flaps, "flaps");
  }

  public LinkRecord withFlaps(FlapHistory f) {
    return new LinkRecord(nodeId, peerLabel, state, stateSince, stateStartSeen, lastSampleAt,
        endpoint, endpointSource, rule, rxBytes, txBytes, f);
  }
}
