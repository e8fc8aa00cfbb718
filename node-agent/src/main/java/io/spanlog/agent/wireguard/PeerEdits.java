package io.spanlog.agent.wireguard;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A change of some peers of a device, written without reading the device first: the agent knows
 * what it programmed last, so it sends only what differs from that. The periodic whole-device
 * pass ({@link WireGuardDevice#apply}) repairs anything the device changed behind its back.
 *
 * @param removed peers to remove
 * @param added peers to create (every field written)
 * @param changed peers to update: only the fields that differ between {@link Change#before} and
 *     {@link Change#after}; an endpoint only when {@code after} carries one
 */
public record PeerEdits(List<WireGuardKey> removed, List<PeerConfig> added, List<Change> changed) {

  /** One peer as last programmed and as wanted now (same public key). */
  public record Change(PeerConfig before, PeerConfig after) {
    public Change {
      Objects.requireNonNull(before, "before");
      Objects.requireNonNull(after, "after");
      if (!before.publicKey().equals(after.publicKey())) {
        throw new IllegalArgumentException("a change keeps the public key");
      }
    }

    /** True when nothing would be written. */
    public boolean isEmpty() {
      return before.presharedKey().equals(after.presharedKey())
          && (after.endpoint().isEmpty() || after.endpoint().equals(before.endpoint()))
          && before.persistentKeepalive().equals(after.persistentKeepalive())
          && before.allowedIps().equals(after.allowedIps());
    }
  }

  public static final PeerEdits NONE = new PeerEdits(List.of(), List.of(), List.of());

  public PeerEdits {
    removed = List.copyOf(removed);
    added = List.copyOf(added);
    changed = changed.stream().filter(c -> !c.isEmpty()).toList();
    Set<WireGuardKey> seen = new HashSet<>();
    for (WireGuardKey k : removed) {
      require(seen.add(k), k);
    }
    for (PeerConfig p : added) {
      require(seen.add(p.publicKey()), p.publicKey());
    }
    for (Change c : changed) {
      require(seen.add(c.after().publicKey()), c.after().publicKey());
    }
  }

  private static void require(boolean unique, WireGuardKey key) {
    if (!unique) {
      throw new IllegalArgumentException("peer " + key + " is edited twice");
    }
  }

  public boolean isEmpty() {
    return removed.isEmpty() && added.isEmpty() && changed.isEmpty();
  }

  /** How many peers are touched. */
  public int size() {
    return removed.size() + added.size() + changed.size();
  }

  /** The endpoint a change writes, if any. */
  static Optional<java.net.InetSocketAddress> endpointWritten(Change c) {
    return c.after().endpoint().filter(e -> !c.after().endpoint().equals(c.before().endpoint()));
  }
}
