package io.spanlog.agent.identity;

import io.spanlog.net.IpPrefix;
import java.util.Objects;

/**
 * The node's KubeSpan identity ({@code kubespanidentities}): overlay address (/128), the cluster
 * subnet (/64) and the WireGuard keys. Its text form never shows the private key.
 */
public record KubeSpanIdentity(IpPrefix address, IpPrefix subnet, WireGuardKeyPair keys) {
  public KubeSpanIdentity {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(subnet, "subnet");
    Objects.requireNonNull(keys, "keys");
  }

  public String publicKey() {
    return keys.publicKey();
  }
}
