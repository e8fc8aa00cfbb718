package io.spanlog.peers;

import java.util.Objects;

/** Why an affiliate did not become a peer, for the operator. */
public record PeerSpecWarning(String affiliateId, String publicKey, String message) {
  public PeerSpecWarning {
    Objects.requireNonNull(affiliateId, "affiliateId");
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(message, "message");
  }
}
