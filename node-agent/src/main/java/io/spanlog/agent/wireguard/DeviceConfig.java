package io.spanlog.agent.wireguard;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The desired state of a WireGuard device as a whole: applying it removes every peer not listed.
 *
 * @param firewallMark 0 means none
 */
public record DeviceConfig(WireGuardSecret privateKey, int listenPort, int firewallMark, List<PeerConfig> peers) {

  /** KubeSpan's defaults (spec: "WireGuard device"). */
  public static final int KUBESPAN_PORT = 51820;
  public static final int KUBESPAN_FIREWALL_MARK = 0x20;

  public DeviceConfig {
    Objects.requireNonNull(privateKey, "privateKey");
    if (listenPort < 0 || listenPort > 65535) {
      throw new IllegalArgumentException("listen port " + listenPort + " is outside 0..65535");
    }
    peers = List.copyOf(peers);
    Set<WireGuardKey> seen = new HashSet<>();
    for (PeerConfig peer : peers) {
      if (!seen.add(peer.publicKey())) {
        throw new IllegalArgumentException("peer " + peer.publicKey() + " is listed twice");
      }
    }
  }

  public WireGuardKey publicKey() {
    return privateKey.publicKey();
  }

  public DeviceConfig withPeers(List<PeerConfig> newPeers) {
    return new DeviceConfig(privateKey, listenPort, firewallMark, newPeers);
  }
}
