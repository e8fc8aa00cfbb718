package io.spanlog.agent.wireguard;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A simulated underlay for {@link SimulatedWireGuardDevice}s: which device listens on which
 * address, and which addresses are cut. Not WireGuard: a model good enough for scale runs and a
 * demo without root.
 *
 * <p>The model: two peers complete a handshake whenever one of them has the other configured
 * with an endpoint that is an uncut address of the other at its listen port, and both list each
 * other with the same preshared key. A handshake happens on every read and moves a keepalive's
 * worth of bytes each way. A cut address is a cut link: nothing reaches it, and nothing leaves
 * its node towards that address's network (same /24, or /64 for IPv6) unless the node has another
 * uncut address there.
 */
public final class SimulatedNetwork {
  static final long BYTES_PER_EXCHANGE = 92;

  private final Clock clock;
  private final Map<String, Registration> devices = new ConcurrentHashMap<>();
  private final Set<InetAddress> cut = ConcurrentHashMap.newKeySet();
  private final Map<String, Instant> handshakes = new ConcurrentHashMap<>();
  private final Map<String, Long> bytes = new ConcurrentHashMap<>();
  /** Devices by their current public key: a read looks up every peer, so a scan would be O(n²). */
  private final Map<WireGuardKey, SimulatedWireGuardDevice> byKey = new ConcurrentHashMap<>();

  public SimulatedNetwork(Clock clock) {
    this.clock = clock;
  }

  Clock clock() {
    return clock;
  }

  void register(SimulatedWireGuardDevice device, Set<InetAddress> addresses) {
    devices.put(device.name(), new Registration(device, Set.copyOf(addresses)));
  }

  void unregister(SimulatedWireGuardDevice device) {
    devices.computeIfPresent(device.name(), (name, r) -> r.device == device ? null : r);
    byKey.values().removeIf(d -> d == device);
  }

  void keyed(SimulatedWireGuardDevice device, WireGuardKey key) {
    byKey.values().removeIf(d -> d == device);
    byKey.put(key, device);
  }

  public void cut(InetAddress address) {
    cut.add(address);
  }

  public void restore(InetAddress address) {
    cut.remove(address);
  }

  /** Runs the handshake model for one peer of {@code self} and returns the pair's last handshake. */
  Optional<Instant> exchange(SimulatedWireGuardDevice self, PeerConfig peer) {
    Optional<DeviceConfig> mine = self.config();
    Optional<SimulatedWireGuardDevice> other = deviceWithKey(peer.publicKey());
    String pair = pairKey(mine.map(DeviceConfig::publicKey).orElse(null), peer.publicKey());
    if (mine.isPresent() && other.isPresent() && other.get().config().isPresent()) {
      DeviceConfig theirs = other.get().config().get();
      Optional<PeerConfig> back = other.get().peer(mine.get().publicKey());
      boolean keysMatch = back.isPresent() && back.get().presharedKey().equals(peer.presharedKey());
      boolean reachable = reaches(self, peer.endpoint(), other.get(), theirs)
          || back.isPresent() && reaches(other.get(), back.get().endpoint(), self, mine.get());
      if (keysMatch && reachable) {
        handshakes.put(pair, clock.instant());
        bytes.merge(pair, BYTES_PER_EXCHANGE, Long::sum);
      }
    }
    return Optional.ofNullable(handshakes.get(pair));
  }

  long bytesExchanged(WireGuardKey a, WireGuardKey b) {
    return bytes.getOrDefault(pairKey(a, b), 0L);
  }

  private boolean reaches(SimulatedWireGuardDevice sender, Optional<InetSocketAddress> endpoint,
      SimulatedWireGuardDevice target, DeviceConfig config) {
    if (endpoint.isEmpty()) {
      return false;
    }
    Registration registration = devices.get(target.name());
    InetSocketAddress e = endpoint.get();
    return registration != null && registration.device == target && registration.addresses.contains(e.getAddress())
        && !cut.contains(e.getAddress()) && e.getPort() == config.listenPort() && canSendTo(sender, e.getAddress());
  }

  /** False when every address the sender has on the destination's network is cut. */
  private boolean canSendTo(SimulatedWireGuardDevice sender, InetAddress destination) {
    Registration registration = devices.get(sender.name());
    if (registration == null) {
      return false;
    }
    List<InetAddress> sameNetwork = registration.addresses.stream().filter(a -> sameNetwork(a, destination)).toList();
    return sameNetwork.isEmpty() || sameNetwork.stream().anyMatch(a -> !cut.contains(a));
  }

  static boolean sameNetwork(InetAddress a, InetAddress b) {
    byte[] x = a.getAddress();
    byte[] y = b.getAddress();
    if (x.length != y.length) {
      return false;
    }
    int prefixBytes = x.length == 4 ? 3 : 8;
    return java.util.Arrays.equals(x, 0, prefixBytes, y, 0, prefixBytes);
  }

  private Optional<SimulatedWireGuardDevice> deviceWithKey(WireGuardKey key) {
    return Optional.ofNullable(byKey.get(key)).filter(d -> d.config().map(c -> c.publicKey().equals(key)).orElse(false));
  }

  private static String pairKey(WireGuardKey a, WireGuardKey b) {
    String x = a == null ? "" : a.base64();
    String y = b.base64();
    return x.compareTo(y) < 0 ? x + "|" + y : y + "|" + x;
  }

  private record Registration(SimulatedWireGuardDevice device, Set<InetAddress> addresses) {}
}
