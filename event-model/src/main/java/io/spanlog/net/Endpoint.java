package io.spanlog.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Comparator;
import java.util.Objects;

/**
 * A UDP endpoint of a WireGuard peer.
 *
 * <p>Text form {@code 10.0.0.2:51820} or {@code [fd00::1]:51820}, as WireGuard and Talos print it.
 */
public record Endpoint(InetAddress ip, int port) implements Comparable<Endpoint> {
  private static final Comparator<Endpoint> ORDER =
      Comparator.comparing(Endpoint::ip, IpPrefix::compareAddresses).thenComparingInt(Endpoint::port);

  public Endpoint {
    Objects.requireNonNull(ip, "ip");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is outside 0..65535");
    }
  }

  /** Parses {@code ip:port} or {@code [v6]:port}; an {@link IllegalArgumentException} otherwise. */
  public static Endpoint parse(String text) {
    Objects.requireNonNull(text, "text");
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("'" + text + "' is not an endpoint (ip:port or [v6]:port)");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.indexOf(':') >= 0) {
      throw new IllegalArgumentException("IPv6 endpoint '" + text + "' needs brackets: [v6]:port");
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' has no numeric port");
    }
    return new Endpoint(IpText.parse(host), port);
  }

  @Override
  public String toString() {
    String host = IpText.format(ip);
    return ip instanceof Inet6Address ? "[" + host + "]:" + port : host + ":" + port;
  }

  @Override
  public int compareTo(Endpoint other) {
    return ORDER.compare(this, other);
  }
}
