package io.spanlog.discovery.rpc;

import io.spanlog.net.IpText;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpConnection;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Optional;

/**
 * The client address of a call (spec section 10): used for Hello's {@code client_ip}, for rate
 * limiting and in events' origin. Proxy headers are believed only when the operator says the
 * service sits behind a proxy that sets them; otherwise a client could pick its own address.
 * Header values are read as IP literals only, so a header never triggers a DNS lookup.
 */
public record ClientAddress(boolean trustRealIp, boolean trustFirstForwardedFor) {
  /** The key of callers whose address is not known (no transport address, e.g. in tests). */
  static final String UNKNOWN = "unknown";

  /**
   * Who a limit counts against: an IPv4 address, or the /64 network of an IPv6 address (one
   * IPv6 host usually holds a whole /64, so counting per address would let it pick a new
   * address for every call), shown as {@code 2001:db8:1:2::/64}. An IPv4-mapped IPv6 address
   * counts as its IPv4 address. Used by the rate limit and the stream and connection caps alike.
   */
  public static String limitKey(Optional<InetAddress> address) {
    if (address.isEmpty()) {
      return UNKNOWN;
    }
    InetAddress ip = address.get();
    if (!(ip instanceof Inet6Address)) {
      return ip.getHostAddress();
    }
    byte[] b = ip.getAddress();
    boolean mapped = true;
    for (int i = 0; i < 10; i++) {
      mapped &= b[i] == 0;
    }
    if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
      return IpText.fromBytes(Arrays.copyOfRange(b, 12, 16)).getHostAddress();
    }
    Arrays.fill(b, 8, 16, (byte) 0);
    return IpText.format(IpText.fromBytes(b)) + "/64";
  }

  /** {@link #limitKey(Optional)} of a transport peer address as Vert.x gives it ({@code hostAddress()}). */
  public static String limitKey(String peerHost) {
    return limitKey(IpText.literal(peerHost));
  }

  /** The client address of a request on {@code connection} with these headers. */
  Optional<InetAddress> of(MultiMap headers, HttpConnection connection) {
    String peer = connection.remoteAddress() == null ? null : connection.remoteAddress().hostAddress();
    return resolve(headers.get("x-real-ip"), headers.get("x-forwarded-for"), peer);
  }

  Optional<InetAddress> resolve(String realIp, String forwardedFor, String peerHost) {
    if (trustRealIp) {
      Optional<InetAddress> ip = IpText.literal(realIp);
      if (ip.isPresent()) {
        return ip;
      }
    }
    if (trustFirstForwardedFor && forwardedFor != null) {
      int comma = forwardedFor.indexOf(',');
      Optional<InetAddress> ip =
          IpText.literal(comma < 0 ? forwardedFor : forwardedFor.substring(0, comma));
      if (ip.isPresent()) {
        return ip;
      }
    }
    return IpText.literal(peerHost);
  }
}
