package io.spanlog.discovery.rpc;

import io.spanlog.net.IpText;
import java.net.InetAddress;
import java.util.Optional;

/**
 * The client address of a call (spec section 10): used for Hello's {@code client_ip}, for rate
 * limiting and in events' origin. Proxy headers are believed only when the operator says the
 * service sits behind a proxy that sets them; otherwise a client could pick its own address.
 * Header values are read as IP literals only, so a header never triggers a DNS lookup.
 */
public record ClientAddress(boolean trustRealIp, boolean trustFirstForwardedFor) {

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
