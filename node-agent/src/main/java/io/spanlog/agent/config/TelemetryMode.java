package io.spanlog.agent.config;

import java.util.Locale;
import java.util.Optional;

/**
 * The node config's {@code telemetry}: whether the agent sends its sealed handshake-sample batches
 * to its discovery service. Never to the public discovery service ({@link
 * DiscoveryTarget#isPublicService()}), whatever the mode.
 */
public enum TelemetryMode {
  /** Send, without asking first whether the service serves the telemetry API. */
  ON,
  /** Never send; samples stay on the node (its status API). */
  OFF,
  /**
   * Ask the service first (an empty report) and send only if it serves the telemetry API; ask
   * again after reconnects. The default.
   */
  AUTO;

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<TelemetryMode> byConfigName(String text) {
    for (TelemetryMode m : values()) {
      if (m.configName().equals(text.trim().toLowerCase(Locale.ROOT))) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }
}
