package io.spanlog.discovery.rpc;

import java.net.InetAddress;
import java.util.Optional;

/**
 * The client address of a call (spec section 10): used for Hello's {@code client_ip}, for rate
 * limiting and in events' origin. Proxy headers are believed only when the operator says the
 * service sits behind a proxy that sets them; otherwise a client could pick its own address.
 */
public record ClientAddress(boolean trustRealIp, boolean trustFirstForwardedFor) {

  Optional<InetAddress> resolve(String realIp, String forwardedFor, String peerHost) {
    if (trustRealIp) {
      Optional<InetAddress> ip = IpLiterals.parse(realIp);
      if (ip.isPresent()) {
        return ip;
      }
    }
    if (trustFirstForwardedFor && forwardedFor != null) {
      int comma = forwardedFor.indexOf(',');
      Optional<InetAddress> ip =
          IpLiterals.parse(comma < 0 ? forwardedFor : forwardedFor.substring(0, comma));
      if (ip.isPresent()) {
        return ip;
      }
    }
    return IpLiterals.parse(peerHost);
  }
}
