package io.spanlog.agent.wireguard;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A device as read back: its public key (empty before a private key is set), port, mark and peers
 * sorted by public key (devices list peers in no stable order). Carries no secrets.
 */
public record DeviceState(Optional<WireGuardKey> publicKey, int listenPort, int firewallMark, List<PeerReading> peers) {

  public DeviceState {
    Objects.requireNonNull(publicKey, "publicKey");
    peers = peers.stream().sorted(java.util.Comparator.comparing(PeerReading::publicKey)).toList();
  }

  public Optional<PeerReading> peer(WireGuardKey key) {
    return peers.stream().filter(p -> p.publicKey().equals(key)).findFirst();
  }
}
