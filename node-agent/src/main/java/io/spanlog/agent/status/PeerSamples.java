package io.spanlog.agent.status;

import io.spanlog.events.EndpointSource;
import io.spanlog.events.PeerSample;
import io.spanlog.peers.PeerEndpoint;
import io.spanlog.peers.PeerSpec;

/** Telemetry samples from statuses: what the handshake-sample batch carries per peer. */
public final class PeerSamples {
  private PeerSamples() {}

  /**
   * An endpoint in use that is none of the spec's candidates was chosen by WireGuard roaming: its
   * source is {@link EndpointSource#UNKNOWN} and its index -1.
   */
  public static PeerSample of(PeerStatus status, PeerSpec spec) {
    int index = status.endpoint().map(spec::indexOf).orElse(-1);
    EndpointSource source =
        status.endpoint().flatMap(spec::candidate).map(PeerEndpoint::source).orElse(EndpointSource.UNKNOWN);
    return new PeerSample(
        status.publicKey(),
        status.label(),
        status.endpoint().map(Object::toString),
        source,
        index,
        spec.endpoints().size(),
        status.lastEndpointChange(),
        status.lastHandshake(),
        status.rxBytes(),
        status.txBytes(),
        status.state(),
        status.rule());
  }
}
