package io.spanlog.agent.wireguard;

import java.net.Inet6Address;
import java.util.Objects;
import java.util.Optional;

/**
 * The interface around the device: MTU and the node's overlay address. KubeSpan puts the node's
 * /128 address on the interface with the cluster's /64 as prefix length, so the whole cluster
 * subnet routes to the interface.
 */
public record LinkConfig(int mtu, Optional<Inet6Address> address, int prefixLength) {

  public static final int KUBESPAN_MTU = 1420;

  public LinkConfig {
    Objects.requireNonNull(address, "address");
    if (mtu < 1280 || mtu > 65535) {
      throw new IllegalArgumentException("MTU " + mtu + " is outside 1280..65535 (IPv6 needs 1280)");
    }
    if (prefixLength < 1 || prefixLength > 128) {
      throw new IllegalArgumentException("prefix length " + prefixLength + " is outside 1..128");
    }
  }

  /** The node's address inside the cluster /64. */
  public static LinkConfig kubespan(int mtu, Inet6Address address) {
    return new LinkConfig(mtu, Optional.of(address), 64);
  }
}
