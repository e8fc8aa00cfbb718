package io.spanlog.agent.wireguard;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** IP and endpoint text as WireGuard writes it, parsed without ever touching DNS. */
final class IpLiterals {
  private IpLiterals() {}

  static InetAddress parseAddress(String text) {
    String t = text.strip();
    boolean v4 = t.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    boolean v6 = t.indexOf(':') >= 0 && t.matches("[0-9A-Fa-f:.%a-zA-Z0-9_-]+");
    if (!v4 && !v6) {
      throw new IllegalArgumentException("'" + text + "' is not an IP address");
    }
    try {
      return InetAddress.getByName(t);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("'" + text + "' is not an IP address");
    }
  }

  /** {@code 10.0.0.1:51820} or {@code [fd00::1]:51820}. */
  static InetSocketAddress parseEndpoint(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("'" + text + "' is not an endpoint (ip:port or [v6]:port)");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.indexOf(':') >= 0) {
      throw new IllegalArgumentException("IPv6 endpoint '" + text + "' needs brackets");
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' has no numeric port");
    }
    return new InetSocketAddress(parseAddress(host), port);
  }

  /** IPv6 in the RFC 5952 short form ({@code fd00::1}), as ip and wg print it; no zone. */
  static String formatAddress(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address.getHostAddress();
    }
    byte[] raw = address.getAddress();
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((raw[2 * i] & 0xff) << 8) | (raw[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; i++) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = Math.max(i, j);
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLength - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(groups[i]));
    }
    return out.toString();
  }

  static String formatEndpoint(InetSocketAddress endpoint) {
    InetAddress ip = endpoint.getAddress();
    String host = formatAddress(ip);
    return (ip instanceof Inet6Address ? "[" + host + "]" : host) + ":" + endpoint.getPort();
  }
}
