package io.spanlog.agent.status;

import io.spanlog.net.Endpoint;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one pass of the machine for one peer.
 *
 * @param status the new status
 * @param endpointToProgram the endpoint to write to the device now; empty to leave the device's
 *     endpoint as it is
 * @param programReason why it must be written (for logs and telemetry), empty with it
 */
public record StatusStep(PeerStatus status, Optional<Endpoint> endpointToProgram, Optional<String> programReason) {
  public StatusStep {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(endpointToProgram, "endpointToProgram");
    Objects.requireNonNull(programReason, "programReason");
  }
}
