package io.spanlog.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Text form of IP addresses without ever touching DNS: {@link InetAddress#getByName} would resolve
 * anything that is not a literal, and a typo in a config file must not turn into a lookup.
 */
public final class IpText {
  private static final Pattern V4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern V6_CHARS = Pattern.compile("[0-9a-fA-F:.]+");

  private IpText() {}

  /** Parses an IPv4 or IPv6 literal; anything else is an {@link IllegalArgumentException}. */
  public static InetAddress parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("empty IP address");
    }
    var v4 = V4.matcher(text);
    if (v4.matches()) {
      byte[] b = new byte[4];
      for (int i = 0; i < 4; i++) {
        int octet = Integer.parseInt(v4.group(i + 1));
        if (octet > 255) {
          throw new IllegalArgumentException("'" + text + "' is not an IP address");
        }
        b[i] = (byte) octet;
      }
      return fromBytes(b);
    }
    // A colon makes the JDK treat the text as an IPv6 literal, never as a host name.
    if (text.indexOf(':') >= 0 && V6_CHARS.matcher(text).matches()) {
      try {
        InetAddress parsed = InetAddress.getByName(text);
        if (parsed instanceof Inet4Address) {
          // the JDK turns ::ffff:a.b.c.d into IPv4; the text said IPv6, so keep it IPv6
          byte[] mapped = new byte[16];
          mapped[10] = (byte) 0xff;
          mapped[11] = (byte) 0xff;
          System.arraycopy(parsed.getAddress(), 0, mapped, 12, 4);
          return fromBytes(mapped);
        }
        return parsed;
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("'" + text + "' is not an IP address");
      }
    }
    throw new IllegalArgumentException("'" + text + "' is not an IP address");
  }

  /**
   * The address in {@code text} ({@code 10.0.0.1}, {@code fd00::1} or {@code [fd00::1]}, surrounding
   * spaces ignored) if it is one, else empty: for text a client controls, such as a proxy header.
   */
  public static Optional<InetAddress> literal(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String s = text.strip();
    if (s.startsWith("[") && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1);
    }
    try {
      return Optional.of(parse(s));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** An address from its raw 4- or 16-byte form. */
  public static InetAddress fromBytes(byte[] raw) {
    if (raw.length != 4 && raw.length != 16) {
      throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + raw.length);
    }
    try {
      // Inet6Address keeps an IPv4-mapped address as IPv6; InetAddress.getByAddress would not.
      return raw.length == 16 ? Inet6Address.getByAddress(null, raw, -1) : InetAddress.getByAddress(raw);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** Canonical text: dotted quad, or RFC 5952 IPv6 (lower case, longest zero run as "::"). */
  public static String format(InetAddress address) {
    if (address instanceof Inet4Address) {
      return address.getHostAddress();
    }
    byte[] b = address.getAddress();
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLen = 0;
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    if (bestLen < 2) {
      bestStart = -1;
    }
    var out = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLen - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(groups[i]));
    }
    return out.toString();
  }

  static boolean isV6(InetAddress address) {
    return address instanceof Inet6Address;
  }
}
