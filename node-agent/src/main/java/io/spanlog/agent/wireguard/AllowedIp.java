package io.spanlog.agent.wireguard;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One allowed-IPs entry of a peer (a CIDR prefix). The address is stored masked, as WireGuard
 * itself stores it, so a configured and a read-back entry compare equal.
 */
public record AllowedIp(InetAddress address, int bits) implements Comparable<AllowedIp> {

  public AllowedIp {
    Objects.requireNonNull(address, "address");
    int width = address.getAddress().length * 8;
    if (bits < 0 || bits > width) {
      throw new IllegalArgumentException("prefix length " + bits + " is outside 0.." + width);
    }
    address = mask(address, bits);
  }

  /** {@code fd00::1/128}, {@code 10.0.0.0/8}; a bare address is a host prefix. */
  public static AllowedIp parse(String text) {
    int slash = text.indexOf('/');
    InetAddress address = DeviceAddressText.parseAddress(slash < 0 ? text : text.substring(0, slash));
    if (slash < 0) {
      return new AllowedIp(address, address.getAddress().length * 8);
    }
    try {
      return new AllowedIp(address, Integer.parseInt(text.substring(slash + 1).strip()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' has no numeric prefix length");
    }
  }

  @Override
  public int compareTo(AllowedIp other) {
    byte[] a = address.getAddress();
    byte[] b = other.address.getAddress();
    int c = a.length != b.length ? Integer.compare(a.length, b.length) : java.util.Arrays.compareUnsigned(a, b);
    return c != 0 ? c : Integer.compare(bits, other.bits);
  }

  @Override
  public String toString() {
    return DeviceAddressText.formatAddress(address) + "/" + bits;
  }

  private static InetAddress mask(InetAddress address, int bits) {
    byte[] raw = address.getAddress();
    for (int i = 0; i < raw.length; i++) {
      int keep = Math.max(0, Math.min(8, bits - 8 * i));
      raw[i] &= (byte) (0xff << (8 - keep));
    }
    try {
      return InetAddress.getByAddress(raw);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
