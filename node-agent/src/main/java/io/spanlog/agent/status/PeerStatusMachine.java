package io.spanlog.agent.status;

import io.spanlog.events.PeerState;
import io.spanlog.net.Endpoint;
import io.spanlog.peers.PeerEndpoint;
import io.spanlog.peers.PeerSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * KubeSpan's peer status state machine and endpoint cycling (kubespan-behaviour.md, "Peer
 * status"), as a pure function of the previous status, the peer's spec, what the device reports
 * and the time. Every state carries the rule that set it, in words.
 *
 * <p>One pass: take the device's endpoint, handshake and counters; compute the state; if the
 * peer is down or never had an endpoint, choose the next candidate; if the device has no
 * endpoint although one was chosen (the device was recreated), write the chosen one again. An
 * endpoint the device reports that differs from the chosen one is left alone: WireGuard roamed
 * to where the peer actually answers from.
 */
public final class PeerStatusMachine {
  private final StatusTimings timings;

  public PeerStatusMachine(StatusTimings timings) {
    this.timings = Objects.requireNonNull(timings, "timings");
  }

  /**
   * @param previous the status after the last pass ({@link PeerStatus#initial} for a new peer)
   * @param spec the peer's current spec
   * @param device the device's view of the peer; empty when the device does not hold the peer
   * @param now the injected clock
   */
  public StatusStep next(PeerStatus previous, PeerSpec spec, Optional<DeviceObservation> device, Instant now) {
    PeerStatus s = previous.withLabel(spec.label());
    if (device.isPresent()) {
      s = s.observed(device.get());
    }
    s = withComputedState(s, now);

    if (s.state() == PeerState.DOWN || s.lastUsedEndpoint().isEmpty()) {
      Optional<Endpoint> pick = pickNext(spec.endpointList(), s.lastUsedEndpoint());
      if (pick.isPresent() && !pick.equals(s.lastUsedEndpoint())) {
        String why = s.lastUsedEndpoint().isEmpty() ? "first endpoint" : "was " + s.state().wireName() + " (" + s.rule() + ")";
        String rule = "endpoint set to " + describe(spec, pick.get()) + ": " + why;
        return new StatusStep(s.endpointChosen(pick.get(), now, rule), pick, Optional.of(rule));
      }
      if (pick.isEmpty() && s.lastUsedEndpoint().isEmpty()) {
        s = s.withState(s.state(), s.rule() + "; the peer has no endpoint candidates");
      }
    }

    Optional<Endpoint> chosen = s.lastUsedEndpoint();
    boolean deviceHasNone = device.map(d -> d.endpoint().isEmpty()).orElse(true);
    if (chosen.isPresent() && deviceHasNone) {
      String reason = "the device holds no endpoint for the peer; setting " + chosen.get() + " again";
      return new StatusStep(s.withEndpoint(chosen.get()), chosen, Optional.of(reason));
    }
    return new StatusStep(s, Optional.empty(), Optional.empty());
  }

  /** The candidate after the last used one, wrapping; the first when none was used or it is gone. */
  static Optional<Endpoint> pickNext(List<Endpoint> candidates, Optional<Endpoint> lastUsed) {
    if (candidates.isEmpty()) {
      return Optional.empty();
    }
    int i = lastUsed.map(candidates::indexOf).orElse(-1);
    return Optional.of(i < 0 ? candidates.get(0) : candidates.get((i + 1) % candidates.size()));
  }

  private PeerStatus withComputedState(PeerStatus s, Instant now) {
    long down = timings.peerDownInterval().toSeconds();
    long connect = timings.endpointConnectionTimeout().toSeconds();
    Optional<Duration> sinceChange = s.lastEndpointChange().map(t -> Duration.between(t, now));
    Optional<Duration> sinceHandshake = s.lastHandshake().map(t -> Duration.between(t, now));
    String handshakeText = sinceHandshake.map(d -> d.toSeconds() + " s").orElse("ever");

    PeerState state;
    String rule;
    if (sinceChange.isEmpty() || sinceChange.get().compareTo(timings.peerDownInterval()) > 0) {
      String changed = sinceChange.map(d -> "endpoint unchanged for " + d.toSeconds() + " s").orElse("no endpoint set");
      if (sinceHandshake.isPresent() && sinceHandshake.get().compareTo(timings.peerDownInterval()) < 0) {
        state = PeerState.UP;
        rule = "last handshake " + handshakeText + " ago, within " + down + " s (" + changed + ")";
      } else {
        state = PeerState.DOWN;
        rule = "no handshake for " + handshakeText + ", limit " + down + " s (" + changed + ")";
      }
    } else {
      long changedAgo = sinceChange.get().toSeconds();
      boolean handshakeSinceChange =
          s.lastHandshake().isPresent() && s.lastHandshake().get().isAfter(s.lastEndpointChange().get());
      if (handshakeSinceChange) {
        state = PeerState.UP;
        rule = "handshake since the endpoint change " + changedAgo + " s ago";
      } else if (sinceChange.get().compareTo(timings.endpointConnectionTimeout()) < 0) {
        state = PeerState.UNKNOWN;
        rule = "endpoint changed " + changedAgo + " s ago, waiting up to " + connect + " s for a handshake";
      } else {
        state = PeerState.DOWN;
        rule = "no handshake for " + changedAgo + " s since the endpoint change (timeout " + connect + " s)";
      }
    }
    if (state == PeerState.DOWN && s.lastUsedEndpoint().isEmpty()) {
      state = PeerState.UNKNOWN;
      rule = "no endpoint was ever used (" + rule + ")";
    }
    return s.withState(state, rule);
  }

  private static String describe(PeerSpec spec, Endpoint e) {
    int i = spec.indexOf(e);
    String source = spec.candidate(e).map(PeerEndpoint::source).map(x -> x.wireName()).orElse("unknown");
    return e + " (candidate " + (i + 1) + " of " + spec.endpoints().size() + ", " + source + ")";
  }
}
