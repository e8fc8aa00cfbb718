package io.spanlog.peers;

import java.util.List;
import java.util.Optional;

/** The result of one peer-spec computation: peers sorted by public key, and what was dropped. */
public record PeerSpecSet(List<PeerSpec> peers, List<PeerSpecWarning> warnings) {
  public PeerSpecSet {
    peers = List.copyOf(peers);
    warnings = List.copyOf(warnings);
  }

  public Optional<PeerSpec> byPublicKey(String publicKey) {
    return peers.stream().filter(p -> p.publicKey().equals(publicKey)).findFirst();
  }
}
