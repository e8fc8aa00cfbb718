package io.spanlog.agent.wireguard;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The {@code wg(8)} text formats: the config file {@code setconf} reads and {@code show dump}. Pure. */
final class WgTool {
  private WgTool() {}

  /** The config file for {@code wg setconf}/{@code syncconf}. Contains secrets: write it 0600. */
  static String renderConfig(DeviceConfig config) {
    StringBuilder out = new StringBuilder("[Interface]\n");
    out.append("PrivateKey = ").append(config.privateKey().revealBase64()).append('\n');
    out.append("ListenPort = ").append(config.listenPort()).append('\n');
    out.append("FwMark = ").append(config.firewallMark() == 0 ? "off" : "0x" + Integer.toHexString(config.firewallMark()))
        .append('\n');
    for (PeerConfig peer : config.peers()) {
      out.append("\n[Peer]\n");
      out.append("PublicKey = ").append(peer.publicKey().base64()).append('\n');
      peer.presharedKey().ifPresent(psk -> out.append("PresharedKey = ").append(psk.revealBase64()).append('\n'));
      peer.endpoint().ifPresent(e -> out.append("Endpoint = ").append(DeviceAddressText.formatEndpoint(e)).append('\n'));
      long keepalive = peer.persistentKeepalive().getSeconds();
      out.append("PersistentKeepalive = ").append(keepalive == 0 ? "off" : Long.toString(keepalive)).append('\n');
      if (!peer.allowedIps().isEmpty()) {
        out.append("AllowedIPs = ")
            .append(peer.allowedIps().stream().map(AllowedIp::toString).collect(Collectors.joining(", ")))
            .append('\n');
      }
    }
    return out.toString();
  }

  /**
   * Parses {@code wg show <iface> dump}: a first line for the interface (private key, public key,
   * listen port, fwmark), then one tab-separated line per peer (public key, preshared key,
   * endpoint, allowed IPs, latest handshake in unix seconds, RX, TX, keepalive).
   */
  static DeviceSnapshot parseDump(String iface, String dump) {
    String[] lines = dump.strip().split("\n");
    if (lines.length == 0 || lines[0].isBlank()) {
      throw new WireGuardException(iface + ": wg show dump printed nothing");
    }
    String[] head = lines[0].split("\t", -1);
    if (head.length != 4) {
      throw new WireGuardException(iface + ": the first line of wg show dump has " + head.length + " fields, not 4");
    }
    Optional<WireGuardSecret> privateKey;
    int listenPort;
    int fwmark;
    try {
      privateKey = none(head[0]) ? Optional.empty() : Optional.of(WireGuardSecret.fromBase64(head[0]));
      listenPort = Integer.parseInt(head[2]);
      fwmark = head[3].equals("off") ? 0 : Integer.decode(head[3]);
    } catch (IllegalArgumentException e) {
      throw new WireGuardException(iface + ": bad interface line in wg show dump: " + e.getMessage());
    }
    List<PeerReading> peers = new ArrayList<>();
    Map<WireGuardKey, WireGuardSecret> presharedKeys = new HashMap<>();
    for (int i = 1; i < lines.length; i++) {
      String[] f = lines[i].split("\t", -1);
      if (f.length != 8) {
        throw new WireGuardException(iface + ": peer line " + i + " of wg show dump has " + f.length + " fields, not 8");
      }
      try {
        WireGuardKey key = WireGuardKey.fromBase64(f[0]);
        if (!none(f[1])) {
          presharedKeys.put(key, WireGuardSecret.fromBase64(f[1]));
        }
        Optional<InetSocketAddress> endpoint = none(f[2]) ? Optional.empty() : Optional.of(DeviceAddressText.parseEndpoint(f[2]));
        List<AllowedIp> allowed = new ArrayList<>();
        if (!none(f[3])) {
          for (String ip : f[3].split(",")) {
            allowed.add(AllowedIp.parse(ip.strip()));
          }
        }
        long handshake = Long.parseLong(f[4]);
        long keepalive = f[7].equals("off") ? 0 : Long.parseLong(f[7]);
        peers.add(new PeerReading(key, endpoint,
            handshake == 0 ? Optional.empty() : Optional.of(Instant.ofEpochSecond(handshake)),
            Long.parseLong(f[5]), Long.parseLong(f[6]), Duration.ofSeconds(keepalive), allowed));
      } catch (IllegalArgumentException e) {
        throw new WireGuardException(iface + ": bad peer line " + i + " in wg show dump: " + e.getMessage());
      }
    }
    DeviceState state = new DeviceState(privateKey.map(WireGuardSecret::publicKey), listenPort, fwmark, peers);
    return new DeviceSnapshot(state, privateKey, presharedKeys);
  }

  private static boolean none(String field) {
    return field.equals("(none)") || field.isEmpty();
  }
}
