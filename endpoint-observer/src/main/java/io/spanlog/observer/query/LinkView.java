package io.spanlog.observer.query;

import io.spanlog.events.EndpointSource;
import io.spanlog.events.PeerState;
import java.time.Instant;
import java.util.Optional;

/**
 * One link as the read API shows it: its state and since when, the endpoint in use and where it
 * came from, its rates in its latest closed metric window, and whether it flaps or is one-sided.
 *
 * @param nodeName the observing node's name (as its peers label it; its affiliate id otherwise)
 * @param nodeId the observing node's affiliate id
 * @param nodePublicKey the observing node's WireGuard public key
 * @param peerName the peer's node name, as the observing node labels it
 * @param peerPublicKey the peer's WireGuard public key
 * @param state the link's current state
 * @param since the first sample in {@code state}
 * @param sinceSeen false when {@code state} was already in force at the first sample the observer
 *     saw (it may have begun earlier)
 * @param lastSampleAt the latest sample
 * @param endpoint the endpoint in use at the latest sample
 * @param endpointSource its provenance
 * @param rule the rule that set the state at the latest sample
 * @param rxBytesPerSecond received bytes per second in the latest closed window; empty when no
 *     window with traffic is retained
 * @param txBytesPerSecond sent bytes per second in that window
 * @param rateWindowStart the start of that window
 * @param flaps state changes within the flapping window
 * @param flappingSince when the link was reported flapping; empty when it is not
 * @param asymmetricSince when this direction was reported up against a peer that does not see the
 *     node up; empty when not
 */
public record LinkView(
    String nodeName,
    String nodeId,
    String nodePublicKey,
    String peerName,
    String peerPublicKey,
    PeerState state,
    Instant since,
    boolean sinceSeen,
    Instant lastSampleAt,
    Optional<String> endpoint,
    EndpointSource endpointSource,
    String rule,
    Optional<Double> rxBytesPerSecond,
    Optional<Double> txBytesPerSecond,
    Optional<Instant> rateWindowStart,
    int flaps,
    Optional<Instant> flappingSince,
    Optional<Instant> asymmetricSince) {}
