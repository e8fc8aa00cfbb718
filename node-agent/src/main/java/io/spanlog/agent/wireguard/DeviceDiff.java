package io.spanlog.agent.wireguard;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The minimal UAPI {@code set} request that turns the device as read into the desired config.
 *
 * <p>Unchanged peers are not touched at all, so their sessions, handshake times and counters
 * survive a reconcile; a changed peer gets only its changed fields; missing peers are removed.
 * This is what {@code wg syncconf} does, and unlike {@code wg setconf} (replace_peers) it never
 * drops a working session.
 */
final class DeviceDiff {
  private static final String ZERO_KEY_HEX = "0".repeat(64);

  private DeviceDiff() {}

  /** Empty when the device already matches. */
  static Optional<String> setRequest(DeviceSnapshot current, DeviceConfig desired) {
    StringBuilder out = new StringBuilder();
    DeviceState state = current.state();
    if (!current.privateKey().equals(Optional.of(desired.privateKey()))) {
      out.append("private_key=").append(desired.privateKey().revealHex()).append('\n');
    }
    if (state.listenPort() != desired.listenPort()) {
      out.append("listen_port=").append(desired.listenPort()).append('\n');
    }
    if (state.firewallMark() != desired.firewallMark()) {
      out.append("fwmark=").append(desired.firewallMark()).append('\n');
    }
    Set<WireGuardKey> wanted = new HashSet<>();
    desired.peers().forEach(p -> wanted.add(p.publicKey()));
    for (PeerReading existing : state.peers()) {
      if (!wanted.contains(existing.publicKey())) {
        out.append("public_key=").append(existing.publicKey().hex()).append('\n').append("remove=true\n");
      }
    }
    for (PeerConfig peer : desired.peers()) {
      Optional<PeerReading> existing = state.peer(peer.publicKey());
      if (existing.isEmpty()) {
        UapiProtocol.appendNewPeer(out, peer);
      } else {
        appendChanges(out, peer, existing.get(), Optional.ofNullable(current.presharedKeys().get(peer.publicKey())));
      }
    }
    return out.length() == 0 ? Optional.empty() : Optional.of("set=1\n" + out + "\n");
  }

  private static void appendChanges(
      StringBuilder out, PeerConfig peer, PeerReading existing, Optional<WireGuardSecret> existingPsk) {
    StringBuilder changes = new StringBuilder();
    if (!peer.presharedKey().equals(existingPsk)) {
      changes.append("preshared_key=")
          .append(peer.presharedKey().map(WireGuardSecret::revealHex).orElse(ZERO_KEY_HEX)).append('\n');
    }
    if (peer.endpoint().isPresent() && !peer.endpoint().equals(existing.endpoint())) {
      changes.append("endpoint=").append(DeviceAddressText.formatEndpoint(peer.endpoint().get())).append('\n');
    }
    if (!peer.persistentKeepalive().equals(existing.persistentKeepalive())) {
      changes.append("persistent_keepalive_interval=").append(peer.persistentKeepalive().getSeconds()).append('\n');
    }
    if (!sameSet(peer.allowedIps(), existing.allowedIps())) {
      changes.append("replace_allowed_ips=true\n");
      UapiProtocol.appendAllowedIps(changes, peer);
    }
    if (changes.length() > 0) {
      out.append("public_key=").append(peer.publicKey().hex()).append('\n').append("update_only=true\n").append(changes);
    }
  }

  private static boolean sameSet(List<AllowedIp> a, List<AllowedIp> b) {
    return new HashSet<>(a).equals(new HashSet<>(b));
  }
}
