package io.spanlog.agent.status;

import java.time.Duration;
import java.util.Objects;

/**
 * The clocks of the peer status machine. Defaults are KubeSpan's; tests and demos shorten them.
 *
 * @param peerDownInterval how long a link may go without a handshake before it is down
 *     (275 s = WireGuard's rekey 180 s + rekey timeout 5 s + keepalive timeout 90 s)
 * @param endpointConnectionTimeout how long a freshly set endpoint is given for a first
 *     handshake before the link is down (15 s)
 * @param reconcileInterval how often the device is read and the machine run (30 s)
 */
public record StatusTimings(
    Duration peerDownInterval, Duration endpointConnectionTimeout, Duration reconcileInterval) {

  public static final StatusTimings DEFAULTS =
      new StatusTimings(Duration.ofSeconds(275), Duration.ofSeconds(15), Duration.ofSeconds(30));

  public StatusTimings {
    Objects.requireNonNull(peerDownInterval, "peerDownInterval");
    Objects.requireNonNull(endpointConnectionTimeout, "endpointConnectionTimeout");
    Objects.requireNonNull(reconcileInterval, "reconcileInterval");
    if (peerDownInterval.isNegative() || peerDownInterval.isZero()) {
      throw new IllegalArgumentException("peerDownInterval must be positive");
    }
    if (endpointConnectionTimeout.isNegative() || endpointConnectionTimeout.isZero()) {
      throw new IllegalArgumentException("endpointConnectionTimeout must be positive");
    }
    if (endpointConnectionTimeout.compareTo(peerDownInterval) >= 0) {
      throw new IllegalArgumentException(
          "endpointConnectionTimeout must be shorter than peerDownInterval");
    }
    if (reconcileInterval.isNegative() || reconcileInterval.isZero()) {
      throw new IllegalArgumentException("reconcileInterval must be positive");
    }
  }
}
