package io.spanlog.net;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Objects;

/**
 * An IP prefix (CIDR). The address is kept masked, so equal networks are equal records.
 */
public record IpPrefix(InetAddress address, int bits) implements Comparable<IpPrefix> {

  public IpPrefix {
    Objects.requireNonNull(address, "address");
    int width = widthOf(address);
    if (bits < 0 || bits > width) {
      throw new IllegalArgumentException(
          "prefix length " + bits + " is outside 0.." + width + " for " + IpText.format(address));
    }
    address = mask(address, bits);
  }

  /** The single-address prefix: /32 for IPv4, /128 for IPv6. */
  public static IpPrefix host(InetAddress address) {
    return new IpPrefix(address, widthOf(address));
  }

  /** Parses {@code addr/bits}; a bare address is a host prefix. */
  public static IpPrefix parse(String text) {
    Objects.requireNonNull(text, "text");
    int slash = text.indexOf('/');
    if (slash < 0) {
      return host(IpText.parse(text));
    }
    InetAddress address = IpText.parse(text.substring(0, slash));
    int bits;
    try {
      bits = Integer.parseInt(text.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' has no numeric prefix length");
    }
    return new IpPrefix(address, bits);
  }

  public boolean isIpv4() {
    return address instanceof Inet4Address;
  }

  /** 32 or 128. */
  public int width() {
    return widthOf(address);
  }

  public boolean contains(InetAddress ip) {
    return widthOf(ip) == width() && mask(ip, bits).equals(address);
  }

  @Override
  public String toString() {
    return IpText.format(address) + "/" + bits;
  }

  /** IPv4 before IPv6, then by address, then shorter prefixes first. */
  @Override
  public int compareTo(IpPrefix other) {
    int c = compareAddresses(address, other.address);
    return c != 0 ? c : Integer.compare(bits, other.bits);
  }

  static int compareAddresses(InetAddress a, InetAddress b) {
    byte[] x = a.getAddress();
    byte[] y = b.getAddress();
    if (x.length != y.length) {
      return Integer.compare(x.length, y.length);
    }
    return Arrays.compareUnsigned(x, y);
  }

  static int widthOf(InetAddress address) {
    return address.getAddress().length * 8;
  }

  static BigInteger toNumber(InetAddress address) {
    return new BigInteger(1, address.getAddress());
  }

  static InetAddress fromNumber(BigInteger value, int width) {
    byte[] raw = value.toByteArray();
    byte[] out = new byte[width / 8];
    int copy = Math.min(raw.length, out.length);
    System.arraycopy(raw, raw.length - copy, out, out.length - copy, copy);
    return IpText.fromBytes(out);
  }

  private static InetAddress mask(InetAddress address, int bits) {
    byte[] raw = address.getAddress();
    for (int i = 0; i < raw.length; i++) {
      int keep = Math.max(0, Math.min(8, bits - 8 * i));
      raw[i] &= (byte) (0xff << (8 - keep));
    }
    return IpText.fromBytes(raw);
  }
}
