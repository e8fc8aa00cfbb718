package io.spanlog.agent.wireguard;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A device as read back: its public key (empty before a private key is set), port, mark and peers
 * in the device's order. Carries no secrets.
 */
public record DeviceState(Optional<WireGuardKey> publicKey, int listenPort, int firewallMark, List<PeerReading> peers) {

  public DeviceState {
    Objects.requireNonNull(publicKey, "publicKey");
    peers = List.copyOf(peers);
  }

  public Optional<PeerReading> peer(WireGuardKey key) {
    return peers.stream().filter(p -> p.publicKey().equals(key)).findFirst();
  }
}
