package io.spanlog.agent.identity;

import io.spanlog.agent.wireguard.WireGuardSecret;
import io.spanlog.net.IpPrefix;
import java.util.Objects;

/**
 * The node's KubeSpan identity ({@code kubespanidentities}): overlay address (/128), the cluster
 * subnet (/64) and the WireGuard private key. Its text form never shows the private key.
 */
public record KubeSpanIdentity(IpPrefix address, IpPrefix subnet, WireGuardSecret privateKey) {
  public KubeSpanIdentity {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(subnet, "subnet");
    Objects.requireNonNull(privateKey, "privateKey");
  }

  /** The WireGuard public key, standard base64 as peers and the discovery service see it. */
  public String publicKey() {
    return privateKey.publicKey().base64();
  }
}
