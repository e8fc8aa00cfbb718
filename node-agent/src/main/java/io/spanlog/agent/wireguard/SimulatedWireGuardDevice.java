package io.spanlog.agent.wireguard;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A simulated device for scale runs and a demo without root: it keeps the applied config and
 * reads it back. Nothing is sent anywhere. Never the default backend.
 *
 * <p>Alone, its peers never handshake. Attached to a {@link SimulatedNetwork}, handshakes and
 * byte counters follow that network's model (see there).
 */
public final class SimulatedWireGuardDevice implements WireGuardDevice {
  private final String name;
  private final Optional<SimulatedNetwork> network;
  /** The applied config with its peers by key (the network looks peers up at every read). */
  private record Applied(DeviceConfig config, java.util.Map<WireGuardKey, PeerConfig> peersByKey) {}

  private volatile Applied applied;
  private volatile LinkConfig link;

  private SimulatedWireGuardDevice(String name, Optional<SimulatedNetwork> network) {
    this.name = InterfaceNames.require(name);
    this.network = network;
  }

  /** A device whose peers never handshake. */
  public static SimulatedWireGuardDevice standalone(String name) {
    return new SimulatedWireGuardDevice(name, Optional.empty());
  }

  /**
   * A device on a simulated network, listening on {@code underlay} addresses. Names must be
   * unique on the network (they stand for nodes).
   */
  public static SimulatedWireGuardDevice on(SimulatedNetwork network, String name, Set<InetAddress> underlay) {
    SimulatedWireGuardDevice device = new SimulatedWireGuardDevice(name, Optional.of(network));
    network.register(device, underlay);
    return device;
  }

  @Override
  public String name() {
    return name;
  }

  Optional<DeviceConfig> config() {
    Applied a = applied;
    return a == null ? Optional.empty() : Optional.of(a.config());
  }

  Optional<PeerConfig> peer(WireGuardKey key) {
    Applied a = applied;
    return a == null ? Optional.empty() : Optional.ofNullable(a.peersByKey().get(key));
  }

  /** The last link settings applied, for assertions in scale runs. */
  public Optional<LinkConfig> link() {
    return Optional.ofNullable(link);
  }

  /** As the real backends: a peer listed without an endpoint keeps the one it has. */
  @Override
  public synchronized void apply(DeviceConfig newConfig) {
    DeviceConfig old = config().orElse(null);
    if (old == null || !old.privateKey().equals(newConfig.privateKey())) {
      network.ifPresent(n -> n.keyed(this, newConfig.publicKey()));
    }
    List<PeerConfig> peers = new ArrayList<>();
    java.util.Map<WireGuardKey, PeerConfig> byKey = new java.util.HashMap<>();
    for (PeerConfig peer : newConfig.peers()) {
      Optional<PeerConfig> before = peer(peer.publicKey());
      PeerConfig kept = peer.endpoint().isEmpty() && before.flatMap(PeerConfig::endpoint).isPresent()
          ? peer.withEndpoint(before.get().endpoint().get())
          : peer;
      peers.add(kept);
      byKey.put(kept.publicKey(), kept);
    }
    this.applied = new Applied(newConfig.withPeers(peers), java.util.Map.copyOf(byKey));
  }

  /** As wireguard-go: removals, new peers, and changes of peers the device holds (others ignored). */
  @Override
  public synchronized void edit(PeerEdits edits) {
    Applied a = applied;
    if (a == null) {
      throw new WireGuardException(name + ": no config applied yet; nothing to edit");
    }
    java.util.Map<WireGuardKey, PeerConfig> byKey = new java.util.LinkedHashMap<>();
    a.config().peers().forEach(p -> byKey.put(p.publicKey(), p));
    edits.removed().forEach(byKey::remove);
    edits.added().forEach(p -> byKey.put(p.publicKey(), p));
    for (PeerEdits.Change c : edits.changed()) {
      PeerConfig held = byKey.get(c.after().publicKey());
      if (held != null) {
        PeerConfig next = new PeerConfig(c.after().publicKey(), c.after().presharedKey(),
            PeerEdits.endpointWritten(c).or(held::endpoint), c.after().persistentKeepalive(), c.after().allowedIps());
        byKey.put(next.publicKey(), next);
      }
    }
    this.applied = new Applied(a.config().withPeers(List.copyOf(byKey.values())), java.util.Map.copyOf(byKey));
  }

  @Override
  public boolean editsPeers() {
    return true;
  }

  @Override
  public DeviceState read() {
    DeviceConfig current = config().orElse(null);
    if (current == null) {
      return new DeviceState(Optional.empty(), 0, 0, List.of());
    }
    List<PeerReading> peers = new ArrayList<>();
    for (PeerConfig peer : current.peers()) {
      Optional<java.time.Instant> handshake = network.flatMap(n -> n.exchange(this, peer));
      long moved = network.map(n -> n.bytesExchanged(current.publicKey(), peer.publicKey())).orElse(0L);
      peers.add(new PeerReading(peer.publicKey(), peer.endpoint(), handshake, moved, moved,
          peer.persistentKeepalive(), peer.allowedIps()));
    }
    return new DeviceState(Optional.of(current.publicKey()), current.listenPort(), current.firewallMark(), peers);
  }

  @Override
  public void configureLink(LinkConfig newLink) {
    this.link = newLink;
  }

  @Override
  public void close() {
    network.ifPresent(n -> n.unregister(this));
  }

  @Override
  public String toString() {
    return "SimulatedWireGuardDevice[" + name + "]";
  }
}
