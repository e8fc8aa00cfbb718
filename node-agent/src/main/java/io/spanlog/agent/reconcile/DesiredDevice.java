package io.spanlog.agent.reconcile;

import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.agent.wireguard.AllowedIp;
import io.spanlog.agent.wireguard.DeviceConfig;
import io.spanlog.agent.wireguard.PeerConfig;
import io.spanlog.agent.wireguard.WireGuardKey;
import io.spanlog.agent.wireguard.WireGuardSecret;
import io.spanlog.net.Endpoint;
import io.spanlog.peers.PeerSpec;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole WireGuard device a node wants (kubespan-behaviour.md, "WireGuard device"): one peer
 * per spec with the cluster secret as preshared key, keepalive 25 s and the spec's allowed IPs.
 *
 * <p>A peer's endpoint is written only when the status machine chose one in this pass; otherwise
 * it is left empty, which leaves the device's endpoint alone, so WireGuard's roaming to where a
 * peer really answers from is not undone at every reconcile.
 */
public final class DesiredDevice {
  public static final Duration KEEPALIVE = Duration.ofSeconds(25);

  private DesiredDevice() {}

  public static DeviceConfig of(
      WireGuardSecret privateKey, int listenPort, ClusterSecret clusterSecret, List<PeerSpec> specs,
      Map<String, Endpoint> endpointsToProgram) {
    WireGuardSecret psk = WireGuardSecret.of(clusterSecret.keyBytes());
    List<PeerConfig> peers = specs.stream()
        .map(spec -> peer(psk, spec, Optional.ofNullable(endpointsToProgram.get(spec.publicKey()))))
        .toList();
    return new DeviceConfig(privateKey, listenPort, DeviceConfig.KUBESPAN_FIREWALL_MARK, peers);
  }

  /** One peer of the device, with the endpoint to write if one was chosen. */
  public static PeerConfig peer(WireGuardSecret psk, PeerSpec spec, Optional<Endpoint> endpointToProgram) {
    return new PeerConfig(
        WireGuardKey.fromBase64(spec.publicKey()),
        Optional.of(psk),
        endpointToProgram.map(DesiredDevice::socket),
        KEEPALIVE,
        spec.allowedIps().stream().map(p -> new AllowedIp(p.address(), p.bits())).toList());
  }

  static InetSocketAddress socket(Endpoint e) {
    return new InetSocketAddress(e.ip(), e.port());
  }
}
