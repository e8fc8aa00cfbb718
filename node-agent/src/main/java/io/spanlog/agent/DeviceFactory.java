package io.spanlog.agent;

import io.spanlog.agent.config.NodeConfig;
import io.spanlog.agent.os.CommandRunner;
import io.spanlog.agent.wireguard.KernelWireGuardDevice;
import io.spanlog.agent.wireguard.SimulatedWireGuardDevice;
import io.spanlog.agent.wireguard.UserspaceWireGuardDevice;
import io.spanlog.agent.wireguard.WireGuardDevice;

/**
 * Opens the node's WireGuard device. Injected into {@link NodeAgent} so agents simulated in one
 * JVM share a {@code SimulatedNetwork}; a real agent uses {@link #forBackend()}.
 */
@FunctionalInterface
public interface DeviceFactory {

  /** Opens (creates or attaches to) the device named by {@code config.interfaceName()}. */
  WireGuardDevice open(NodeConfig config);

  /**
   * The backend the config names: wireguard-go, kernel WireGuard, or a standalone simulated device
   * (its peers never handshake: it exists to run the control plane without root).
   */
  static DeviceFactory forBackend() {
    return config -> switch (config.backend()) {
      case USERSPACE -> UserspaceWireGuardDevice.open(config.interfaceName());
      case KERNEL -> KernelWireGuardDevice.open(config.interfaceName(), CommandRunner.local());
      case MEMORY -> SimulatedWireGuardDevice.standalone(config.interfaceName());
    };
  }
}
