package io.spanlog.events;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A link (as seen from one node towards one peer; each direction is its own link) changed state,
 * with the samples that prove it: the last one still in the old state and the first one in the
 * new. The change happened somewhere between those two sample times.
 *
 * <p>Derived by the endpoint observer from handshake samples; the envelope's {@code at} is
 * {@link #firstSampleInNew}. Schema 2 (schema 1, with only keys, states, endpoint and reason, was
 * never written by any build).
 *
 * @param nodeId the observing node's affiliate id
 * @param nodePublicKey the observing node's WireGuard public key
 * @param peerPublicKey the peer's WireGuard public key
 * @param peerLabel the peer's node name, as the observing node labels it
 * @param from the previous state
 * @param to the new state
 * @param endpoint the endpoint in use at the first sample in the new state
 * @param endpointSource where the observing node had that endpoint from
 * @param reason the rule that set the new state, in words (from the sample)
 * @param previousStateSince the first sample of the previous state
 * @param previousStateStartSeen false when the previous state was already in force at the first
 *     sample the observer saw of this link: it may then have lasted longer than
 *     {@link #previousStateLasted}
 * @param lastSampleInPrevious the last sample still in the previous state
 * @param firstSampleInNew the first sample in the new state
 * @param previousStateLasted from {@code previousStateSince} to {@code firstSampleInNew}
 */
public record LinkStateChanged(
    String nodeId,
    String nodePublicKey,
    String peerPublicKey,
    String peerLabel,
    PeerState from,
    PeerState to,
    Optional<String> endpoint,
    EndpointSource endpointSource,
    String reason,
    Instant previousStateSince,
    boolean previousStateStartSeen,
    Instant lastSampleInPrevious,
    Instant firstSampleInNew,
    Duration previousStateLasted)
    implements Event {
  public LinkStateChanged {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(nodePublicKey, "nodePublicKey");
    Objects.requireNonNull(peerPublicKey, "peerPublicKey");
    Objects.requireNonNull(peerLabel, "peerLabel");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(endpointSource, "endpointSource");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(previousStateSince, "previousStateSince");
    Objects.requireNonNull(lastSampleInPrevious, "lastSampleInPrevious");
    Objects.requireNonNull(firstSampleInNew, "firstSampleInNew");
    Objects.requireNonNull(previousStateLasted, "previousStateLasted");
  }
}
