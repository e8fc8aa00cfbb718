package io.spanlog.agent.identity;

import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The node's "first hardware address", the input of its EUI-64 KubeSpan address. */
public final class HardwareAddresses {
  private HardwareAddresses() {}

  /**
   * The MAC of the lowest-index interface that has a 6-byte, non-zero MAC and is not loopback;
   * {@code excludedInterface} (the KubeSpan interface itself) is skipped.
   */
  public static Optional<byte[]> first(String excludedInterface) {
    try {
      List<NetworkInterface> all = NetworkInterface.networkInterfaces()
          .sorted(Comparator.comparingInt(NetworkInterface::getIndex))
          .toList();
      for (NetworkInterface nic : all) {
        if (nic.isLoopback() || nic.getName().equals(excludedInterface)) {
          continue;
        }
        byte[] mac = nic.getHardwareAddress();
        if (mac != null && mac.length == 6 && !allZero(mac)) {
          return Optional.of(mac);
        }
      }
      return Optional.empty();
    } catch (SocketException e) {
      return Optional.empty();
    }
  }

  private static boolean allZero(byte[] mac) {
    for (byte b : mac) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }
}
