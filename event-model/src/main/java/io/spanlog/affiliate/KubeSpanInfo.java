package io.spanlog.affiliate;

import io.spanlog.net.IpPrefix;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * The KubeSpan part of an affiliate.
 *
 * @param publicKey WireGuard public key, standard base64
 * @param address the node's KubeSpan overlay address
 * @param additionalAddresses extra prefixes it routes (pod CIDRs)
 * @param excludeAdvertised prefixes peers must not route over KubeSpan (Talos 1.12.4+)
 */
public record KubeSpanInfo(
    String publicKey,
    InetAddress address,
    List<IpPrefix> additionalAddresses,
    List<IpPrefix> excludeAdvertised) {
  public KubeSpanInfo {
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(address, "address");
    additionalAddresses = List.copyOf(additionalAddresses);
    excludeAdvertised = List.copyOf(excludeAdvertised);
  }
}
