package io.spanlog.agent.wireguard;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The text protocol of WireGuard's cross-platform UAPI (wireguard.com/xplatform): requests and
 * responses are {@code key=value} lines ended by an empty line; keys are lowercase hex; every
 * response ends with {@code errno=N}. Pure functions, no I/O.
 */
final class UapiProtocol {
  static final String GET = "get=1\n\n";

  private UapiProtocol() {}

  /** Parses a {@code get=1} response; a non-zero errno or a malformed line is an exception. */
  static DeviceSnapshot parseGet(String iface, String response) {
    requireSuccess(iface, "get", response);
    Optional<WireGuardSecret> privateKey = Optional.empty();
    int listenPort = 0;
    int fwmark = 0;
    List<PeerReading> peers = new ArrayList<>();
    Map<WireGuardKey, WireGuardSecret> presharedKeys = new HashMap<>();
    PeerBuilder peer = null;
    for (String line : response.split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw new WireGuardException(iface + ": malformed UAPI line without '=' in get response");
      }
      String key = line.substring(0, eq);
      String value = line.substring(eq + 1);
      try {
        switch (key) {
          case "private_key" -> privateKey = nonZero(WireGuardSecret.fromHex(value));
          case "listen_port" -> listenPort = Integer.parseInt(value);
          case "fwmark" -> fwmark = Integer.parseInt(value);
          case "public_key" -> {
            if (peer != null) {
              peer.finish(peers, presharedKeys);
            }
            peer = new PeerBuilder(WireGuardKey.fromHex(value));
          }
          case "errno", "protocol_version" -> { }
          default -> {
            if (peer == null) {
              continue; // device-level keys a newer implementation may add
            }
            peer.accept(key, value);
          }
        }
      } catch (IllegalArgumentException e) {
        // The value is not quoted: for private_key and preshared_key it would be a secret.
        throw new WireGuardException(iface + ": bad value for '" + key + "' in get response: " + e.getMessage());
      }
    }
    if (peer != null) {
      peer.finish(peers, presharedKeys);
    }
    DeviceState state = new DeviceState(privateKey.map(WireGuardSecret::publicKey), listenPort, fwmark, peers);
    return new DeviceSnapshot(state, privateKey, presharedKeys);
  }

  /** The errno of a response; absent errno is a protocol error. */
  static int errno(String iface, String operation, String response) {
    for (String line : response.split("\n")) {
      if (line.startsWith("errno=")) {
        try {
          return Integer.parseInt(line.substring("errno=".length()).strip());
        } catch (NumberFormatException e) {
          break;
        }
      }
    }
    throw new WireGuardException(iface + ": UAPI " + operation + " response carries no errno (connection cut?)");
  }

  static void requireSuccess(String iface, String operation, String response) {
    int errno = errno(iface, operation, response);
    if (errno != 0) {
      throw new WireGuardException(
          iface + ": the device refused the " + operation + " request, errno=" + errno + " (" + meaning(errno) + ")",
          errno, null);
    }
  }

  /** wireguard-go answers with negative errno codes (-98 for EADDRINUSE); older versions positive. */
  private static String meaning(int errno) {
    return switch (Math.abs(errno)) {
      case 1 -> "operation not permitted";
      case 5 -> "I/O error";
      case 22 -> "invalid argument";
      case 98 -> "address already in use: the listen port is taken";
      default -> "see the wireguard-go log";
    };
  }

  /** A full replace, as {@code wg setconf} sends it: every peer re-created, sessions lost. */
  static String replaceRequest(DeviceConfig config) {
    StringBuilder out = new StringBuilder("set=1\n");
    out.append("private_key=").append(config.privateKey().revealHex()).append('\n');
    out.append("listen_port=").append(config.listenPort()).append('\n');
    out.append("fwmark=").append(config.firewallMark()).append('\n');
    out.append("replace_peers=true\n");
    for (PeerConfig peer : config.peers()) {
      appendNewPeer(out, peer);
    }
    return out.append('\n').toString();
  }

  /**
   * A {@code set} of some peers only, no device-level keys: removals, new peers in full, and for
   * changed ones the differing fields with {@code update_only} (a peer the device lost is left
   * to the next whole-device pass rather than re-created half configured).
   */
  static String editRequest(PeerEdits edits) {
    StringBuilder out = new StringBuilder("set=1\n");
    for (WireGuardKey key : edits.removed()) {
      out.append("public_key=").append(key.hex()).append('\n').append("remove=true\n");
    }
    for (PeerConfig peer : edits.added()) {
      appendNewPeer(out, peer);
    }
    for (PeerEdits.Change change : edits.changed()) {
      PeerConfig before = change.before();
      PeerConfig after = change.after();
      out.append("public_key=").append(after.publicKey().hex()).append('\n').append("update_only=true\n");
      if (!after.presharedKey().equals(before.presharedKey())) {
        out.append("preshared_key=").append(after.presharedKey().map(WireGuardSecret::revealHex).orElse("0".repeat(64)))
            .append('\n');
      }
      PeerEdits.endpointWritten(change).ifPresent(e ->
          out.append("endpoint=").append(DeviceAddressText.formatEndpoint(e)).append('\n'));
      if (!after.persistentKeepalive().equals(before.persistentKeepalive())) {
        out.append("persistent_keepalive_interval=").append(after.persistentKeepalive().getSeconds()).append('\n');
      }
      if (!after.allowedIps().equals(before.allowedIps())) {
        out.append("replace_allowed_ips=true\n");
        appendAllowedIps(out, after);
      }
    }
    return out.append('\n').toString();
  }

  static void appendNewPeer(StringBuilder out, PeerConfig peer) {
    out.append("public_key=").append(peer.publicKey().hex()).append('\n');
    peer.presharedKey().ifPresent(psk -> out.append("preshared_key=").append(psk.revealHex()).append('\n'));
    peer.endpoint().ifPresent(e -> out.append("endpoint=").append(DeviceAddressText.formatEndpoint(e)).append('\n'));
    out.append("persistent_keepalive_interval=").append(peer.persistentKeepalive().getSeconds()).append('\n');
    out.append("replace_allowed_ips=true\n");
    appendAllowedIps(out, peer);
  }

  static void appendAllowedIps(StringBuilder out, PeerConfig peer) {
    for (AllowedIp ip : peer.allowedIps()) {
      out.append("allowed_ip=").append(ip).append('\n');
    }
  }

  private static Optional<WireGuardSecret> nonZero(WireGuardSecret secret) {
    return secret.isZero() ? Optional.empty() : Optional.of(secret);
  }

  private static final class PeerBuilder {
    private final WireGuardKey publicKey;
    private Optional<WireGuardSecret> presharedKey = Optional.empty();
    private Optional<InetSocketAddress> endpoint = Optional.empty();
    private long handshakeSeconds;
    private long handshakeNanos;
    private long rx;
    private long tx;
    private long keepalive;
    private final List<AllowedIp> allowedIps = new ArrayList<>();

    PeerBuilder(WireGuardKey publicKey) {
      this.publicKey = publicKey;
    }

    void accept(String key, String value) {
      switch (key) {
        case "preshared_key" -> presharedKey = nonZero(WireGuardSecret.fromHex(value));
        case "endpoint" -> endpoint = Optional.of(DeviceAddressText.parseEndpoint(value));
        case "last_handshake_time_sec" -> handshakeSeconds = Long.parseLong(value);
        case "last_handshake_time_nsec" -> handshakeNanos = Long.parseLong(value);
        case "rx_bytes" -> rx = Long.parseLong(value);
        case "tx_bytes" -> tx = Long.parseLong(value);
        case "persistent_keepalive_interval" -> keepalive = Long.parseLong(value);
        case "allowed_ip" -> allowedIps.add(AllowedIp.parse(value));
        default -> { } // keys a newer implementation may add
      }
    }

    void finish(List<PeerReading> peers, Map<WireGuardKey, WireGuardSecret> presharedKeys) {
      Optional<Instant> handshake = handshakeSeconds == 0 && handshakeNanos == 0
          ? Optional.empty()
          : Optional.of(Instant.ofEpochSecond(handshakeSeconds, handshakeNanos));
      peers.add(new PeerReading(publicKey, endpoint, handshake, rx, tx, Duration.ofSeconds(keepalive), allowedIps));
      presharedKey.ifPresent(psk -> presharedKeys.put(publicKey, psk));
    }
  }
}
