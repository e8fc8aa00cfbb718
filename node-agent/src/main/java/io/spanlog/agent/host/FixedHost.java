package io.spanlog.agent.host;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A host whose facts are given, for agents simulated in one JVM (memory backend): each needs its
 * own MAC (hence its own KubeSpan address) and its own underlay addresses.
 */
public record FixedHost(String hostname, byte[] mac, List<InetAddress> addresses) implements HostFacts {
  public FixedHost {
    Objects.requireNonNull(hostname, "hostname");
    if (mac.length != 6) {
      throw new IllegalArgumentException("a MAC has 6 bytes, not " + mac.length);
    }
    mac = mac.clone();
    addresses = List.copyOf(addresses);
  }

  /** Host {@code index} (1..65535) of a simulated fleet: MAC 02:53:4c:00:hi:lo. */
  public static FixedHost simulated(String hostname, int index, List<InetAddress> addresses) {
    if (index < 1 || index > 0xffff) {
      throw new IllegalArgumentException("index " + index + " is outside 1..65535");
    }
    byte[] mac = {0x02, 0x53, 0x4c, 0x00, (byte) (index >> 8), (byte) index};
    return new FixedHost(hostname, mac, addresses);
  }

  @Override
  public Optional<byte[]> firstMac(String wireGuardInterface) {
    return Optional.of(mac.clone());
  }

  @Override
  public List<InetAddress> addresses(String wireGuardInterface) {
    return addresses;
  }
}
