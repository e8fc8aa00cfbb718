package io.spanlog.identity;

import io.spanlog.net.IpPrefix;
import io.spanlog.net.IpText;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;

/**
 * The KubeSpan overlay addresses, derived as Talos derives them (kubespan-behaviour.md, "Node
 * identity"): a /64 ULA per cluster from the cluster id text, and an EUI-64 /128 per node.
 */
public final class KubeSpanAddressing {
  private static final byte ULA_PREFIX = (byte) 0xfd;
  /** Byte 7 of the subnet names its purpose; 0x02 is KubeSpan. */
  private static final byte KUBESPAN_PURPOSE = 0x02;

  private KubeSpanAddressing() {}

  /** The cluster's /64: SHA-256 of the id's UTF-8 text, last 16 bytes, fd…, purpose byte, /64. */
  public static IpPrefix clusterSubnet(String clusterId) {
    Objects.requireNonNull(clusterId, "clusterId");
    byte[] digest = sha256(clusterId.getBytes(StandardCharsets.UTF_8));
    byte[] net = Arrays.copyOfRange(digest, digest.length - 16, digest.length);
    net[0] = ULA_PREFIX;
    net[7] = KUBESPAN_PURPOSE;
    return new IpPrefix(IpText.fromBytes(net), 64);
  }

  /** The node's address: the cluster /64 with the EUI-64 interface id of its MAC, as a /128. */
  public static IpPrefix nodeAddress(String clusterId, byte[] mac) {
    if (mac == null || mac.length != 6) {
      throw new IllegalArgumentException(
          "a MAC address has 6 bytes, not " + (mac == null ? 0 : mac.length));
    }
    byte[] address = clusterSubnet(clusterId).address().getAddress();
    address[8] = (byte) (mac[0] ^ 0x02); // EUI-64 flips the universal/local bit
    address[9] = mac[1];
    address[10] = mac[2];
    address[11] = (byte) 0xff;
    address[12] = (byte) 0xfe;
    address[13] = mac[3];
    address[14] = mac[4];
    address[15] = mac[5];
    return IpPrefix.host(IpText.fromBytes(address));
  }

  /** Parses {@code 2e:1a:b6:53:81:69} (or with dashes). */
  public static byte[] parseMac(String text) {
    String[] parts = text.trim().split("[:-]");
    if (parts.length != 6) {
      throw new IllegalArgumentException("'" + text + "' is not a MAC address (six hex bytes)");
    }
    byte[] mac = new byte[6];
    for (int i = 0; i < 6; i++) {
      if (!parts[i].matches("[0-9a-fA-F]{2}")) {
        throw new IllegalArgumentException("'" + text + "' is not a MAC address (six hex bytes)");
      }
      mac[i] = (byte) Integer.parseInt(parts[i], 16);
    }
    return mac;
  }

  private static byte[] sha256(byte[] input) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(input);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
