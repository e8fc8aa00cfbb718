package io.spanlog.peers;

import io.spanlog.net.Endpoint;
import io.spanlog.net.IpPrefix;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the local WireGuard device should hold for one peer ({@code KubeSpanPeerSpec}).
 *
 * @param publicKey the peer's WireGuard public key (the spec's id)
 * @param label the peer's node name (its host name when it sent none)
 * @param address the peer's KubeSpan overlay address
 * @param allowedIps the minimal prefix list of everything routed to this peer
 * @param endpoints endpoint candidates in the order known, with provenance
 * @param affiliateId the affiliate id the peer is known by in discovery
 */
public record PeerSpec(
    String publicKey,
    String label,
    InetAddress address,
    List<IpPrefix> allowedIps,
    List<PeerEndpoint> endpoints,
    String affiliateId) {
  public PeerSpec {
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(address, "address");
    allowedIps = List.copyOf(allowedIps);
    endpoints = List.copyOf(endpoints);
    Objects.requireNonNull(affiliateId, "affiliateId");
  }

  /** The bare candidates, in order. */
  public List<Endpoint> endpointList() {
    return endpoints.stream().map(PeerEndpoint::endpoint).toList();
  }

  /** The candidate entry for an endpoint, if it is one of this peer's candidates. */
  public Optional<PeerEndpoint> candidate(Endpoint endpoint) {
    return endpoints.stream().filter(e -> e.endpoint().equals(endpoint)).findFirst();
  }

  /** Position of an endpoint in the candidate list, -1 when it is not a candidate. */
  public int indexOf(Endpoint endpoint) {
    return endpointList().indexOf(endpoint);
  }
}
