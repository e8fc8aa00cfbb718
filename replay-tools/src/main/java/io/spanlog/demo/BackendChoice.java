package io.spanlog.demo;

import java.util.List;

/**
 * Which WireGuard the demo runs on, decided from what the machine offers so that the README's
 * run command works on a fresh machine: real wireguard-go in network namespaces when it can,
 * installing the tools first as root on a Debian-like system, and the simulated memory backend
 * otherwise, saying why.
 */
public record BackendChoice(Kind kind, List<String> packagesToInstall, String reason) {

  public enum Kind {
    /** Real wireguard-go, one network namespace per node. */
    NAMESPACES,
    /** In-process agents on simulated WireGuard devices. */
    MEMORY
  }

  /** Debian packages that provide the tools the namespace mesh needs. */
  public static final List<String> PACKAGES = List.of("wireguard-go", "wireguard-tools", "iproute2", "iputils-ping");

  public BackendChoice {
    packagesToInstall = List.copyOf(packagesToInstall);
  }

  /** What the machine offers. */
  public record Machine(boolean root, List<String> missingTools, boolean debianLike, boolean tunDevice) {
    public Machine {
      missingTools = List.copyOf(missingTools);
    }
  }

  /**
   * @param forceMemory {@code --memory}
   */
  public static BackendChoice decide(Machine machine, boolean forceMemory) {
    if (forceMemory) {
      return new BackendChoice(Kind.MEMORY, List.of(), "--memory was given");
    }
    if (!machine.root()) {
      return new BackendChoice(Kind.MEMORY, List.of(),
          "not running as root, and real WireGuard in network namespaces needs root with wireguard-go, wg and ip"
              + " (Debian: apt-get install wireguard-go wireguard-tools iproute2)");
    }
    if (!machine.tunDevice()) {
      return new BackendChoice(Kind.MEMORY, List.of(), "/dev/net/tun is missing, so wireguard-go cannot create an interface");
    }
    if (machine.missingTools().isEmpty()) {
      return new BackendChoice(Kind.NAMESPACES, List.of(), "root with wireguard-go, wg and ip");
    }
    if (machine.debianLike()) {
      return new BackendChoice(Kind.NAMESPACES, PACKAGES, "missing " + String.join(", ", machine.missingTools()));
    }
    return new BackendChoice(Kind.MEMORY, List.of(),
        String.join(", ", machine.missingTools()) + " not installed and this is not a Debian-like system to install them with apt-get");
  }
}
