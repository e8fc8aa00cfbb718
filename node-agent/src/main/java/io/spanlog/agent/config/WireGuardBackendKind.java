package io.spanlog.agent.config;

import java.util.Locale;

/** Which WireGuard implementation the agent programs. */
public enum WireGuardBackendKind {
  /** wireguard-go through its UAPI socket (the default). */
  USERSPACE,
  /** kernel WireGuard through wg(8). */
  KERNEL,
  /** a simulated in-memory device, for scale runs only. */
  MEMORY;

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
