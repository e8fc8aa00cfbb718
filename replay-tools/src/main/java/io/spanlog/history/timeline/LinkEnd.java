package io.spanlog.history.timeline;

import java.util.Objects;
import java.util.Optional;

/**
 * One end of a link as the log names it.
 *
 * @param name its node name (the host name when it sent none; the label peers use otherwise)
 * @param publicKey its WireGuard public key
 * @param affiliateId its affiliate id in discovery, when the log shows it
 */
public record LinkEnd(String name, String publicKey, Optional<String> affiliateId) {
  public LinkEnd {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(affiliateId, "affiliateId");
  }
}
