package io.spanlog.agent.wireguard;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The desired state of one peer.
 *
 * @param persistentKeepalive {@link Duration#ZERO} turns keepalive off; whole seconds, at most 65535
 * @param endpoint empty leaves the device's endpoint as it is (WireGuard cannot unset one; a peer
 *     that reaches us first teaches the device its endpoint)
 * @param allowedIps kept sorted and without duplicates, so equal configs are equal records
 */
public record PeerConfig(
    WireGuardKey publicKey,
    Optional<WireGuardSecret> presharedKey,
    Optional<InetSocketAddress> endpoint,
    Duration persistentKeepalive,
    List<AllowedIp> allowedIps) {

  public PeerConfig {
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(presharedKey, "presharedKey");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(persistentKeepalive, "persistentKeepalive");
    endpoint.ifPresent(e -> {
      if (e.isUnresolved()) {
        throw new IllegalArgumentException("endpoint " + e + " must be an IP address, not a name");
      }
    });
    long seconds = persistentKeepalive.getSeconds();
    if (persistentKeepalive.isNegative() || persistentKeepalive.getNano() != 0 || seconds > 65535) {
      throw new IllegalArgumentException("persistent keepalive must be whole seconds in 0..65535");
    }
    allowedIps = allowedIps.stream().distinct().sorted().toList();
  }

  /** A peer as KubeSpan configures it: preshared key and a keepalive of 25 s. */
  public static PeerConfig of(WireGuardKey publicKey, WireGuardSecret presharedKey,
      Optional<InetSocketAddress> endpoint, List<AllowedIp> allowedIps) {
    return new PeerConfig(publicKey, Optional.of(presharedKey), endpoint, Duration.ofSeconds(25), allowedIps);
  }

  public PeerConfig withEndpoint(InetSocketAddress newEndpoint) {
    return new PeerConfig(publicKey, presharedKey, Optional.of(newEndpoint), persistentKeepalive, allowedIps);
  }
}
