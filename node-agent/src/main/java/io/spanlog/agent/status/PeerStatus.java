package io.spanlog.agent.status;

import io.spanlog.events.PeerState;
import io.spanlog.net.Endpoint;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One peer's status ({@code KubeSpanPeerStatus}) plus the rule that set its state.
 *
 * @param endpoint the endpoint in use now (as the device reports it, or as just set)
 * @param lastUsedEndpoint the endpoint this node last chose for the peer
 * @param lastEndpointChange when this node last chose an endpoint
 * @param rule the rule that set {@code state}, in words
 */
public record PeerStatus(
    String publicKey,
    String label,
    Optional<Endpoint> endpoint,
    Optional<Endpoint> lastUsedEndpoint,
    Optional<Instant> lastEndpointChange,
    Optional<Instant> lastHandshake,
    long rxBytes,
    long txBytes,
    PeerState state,
    String rule) {

  public PeerStatus {
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(lastUsedEndpoint, "lastUsedEndpoint");
    Objects.requireNonNull(lastEndpointChange, "lastEndpointChange");
    Objects.requireNonNull(lastHandshake, "lastHandshake");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(rule, "rule");
  }

  /** A peer seen for the first time. */
  public static PeerStatus initial(String publicKey, String label) {
    return new PeerStatus(
        publicKey,
        label,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        0,
        0,
        PeerState.UNKNOWN,
        "new peer");
  }

  PeerStatus withLabel(String newLabel) {
    return new PeerStatus(publicKey, newLabel, endpoint, lastUsedEndpoint, lastEndpointChange,
        lastHandshake, rxBytes, txBytes, state, rule);
  }

  PeerStatus observed(DeviceObservation d) {
    return new PeerStatus(publicKey, label, d.endpoint(), lastUsedEndpoint, lastEndpointChange,
        d.lastHandshake(), d.rxBytes(), d.txBytes(), state, rule);
  }

  PeerStatus withState(PeerState newState, String newRule) {
    return new PeerStatus(publicKey, label, endpoint, lastUsedEndpoint, lastEndpointChange,
        lastHandshake, rxBytes, txBytes, newState, newRule);
  }

  PeerStatus withEndpoint(Endpoint e) {
    return new PeerStatus(publicKey, label, Optional.of(e), lastUsedEndpoint, lastEndpointChange,
        lastHandshake, rxBytes, txBytes, state, rule);
  }

  /** Records a choice of endpoint: it becomes the one in use and the link starts over unknown. */
  PeerStatus endpointChosen(Endpoint e, Instant now, String newRule) {
    return new PeerStatus(publicKey, label, Optional.of(e), Optional.of(e), Optional.of(now),
        lastHandshake, rxBytes, txBytes, PeerState.UNKNOWN, newRule);
  }
}
