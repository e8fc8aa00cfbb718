package io.spanlog.events;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What one node saw of one peer at one reconcile: the WireGuard counters and the reasoning of the
 * status machine, so a link's life can be explained afterwards.
 *
 * @param publicKey the peer's WireGuard public key (base64)
 * @param label the peer's node name
 * @param endpoint the endpoint in use ({@code ip:port}), if any
 * @param endpointSource where that endpoint came from
 * @param endpointIndex its position in the peer's candidate list (0-based), -1 if none
 * @param candidateCount how many endpoint candidates the peer has
 * @param lastEndpointChange when the endpoint was last set
 * @param lastHandshake the latest WireGuard handshake, if any ever happened
 * @param rxBytes bytes received from the peer
 * @param txBytes bytes sent to the peer
 * @param state the state computed at this reconcile
 * @param rule the rule that set the state, in words
 */
public record PeerSample(
    String publicKey,
    String label,
    Optional<String> endpoint,
    EndpointSource endpointSource,
    int endpointIndex,
    int candidateCount,
    Optional<Instant> lastEndpointChange,
    Optional<Instant> lastHandshake,
    long rxBytes,
    long txBytes,
    PeerState state,
    String rule) {

  public PeerSample {
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(endpointSource, "endpointSource");
    Objects.requireNonNull(lastEndpointChange, "lastEndpointChange");
    Objects.requireNonNull(lastHandshake, "lastHandshake");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(rule, "rule");
  }
}
