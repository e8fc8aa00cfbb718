package io.spanlog.agent.wireguard;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One peer as the device reports it. Carries no secrets. */
public record PeerReading(
    WireGuardKey publicKey,
    Optional<InetSocketAddress> endpoint,
    Optional<Instant> latestHandshake,
    long rxBytes,
    long txBytes,
    Duration persistentKeepalive,
    List<AllowedIp> allowedIps) {

  public PeerReading {
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(latestHandshake, "latestHandshake");
    Objects.requireNonNull(persistentKeepalive, "persistentKeepalive");
    allowedIps = allowedIps.stream().distinct().sorted().toList();
  }
}
