package io.spanlog.agent.status;

import io.spanlog.net.Endpoint;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the WireGuard device reported for one peer at one read.
 *
 * @param endpoint the endpoint the device holds (WireGuard may have roamed to another one)
 * @param lastHandshake the latest handshake; empty when none ever happened
 */
public record DeviceObservation(
    Optional<Endpoint> endpoint, Optional<Instant> lastHandshake, long rxBytes, long txBytes) {
  public DeviceObservation {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(lastHandshake, "lastHandshake");
  }
}
