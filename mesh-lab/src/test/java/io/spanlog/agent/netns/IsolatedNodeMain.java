package io.spanlog.agent.netns;

import io.spanlog.agent.wireguard.AllowedIp;
import io.spanlog.agent.wireguard.DeviceConfig;
import io.spanlog.agent.wireguard.LinkConfig;
import io.spanlog.agent.wireguard.PeerConfig;
import io.spanlog.agent.wireguard.PeerReading;
import io.spanlog.agent.wireguard.UserspaceWireGuardDevice;
import io.spanlog.agent.wireguard.WireGuardKey;
import io.spanlog.agent.wireguard.WireGuardSecret;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A stand-in for the agent, run by {@link AgentInNamespaceIT} inside a node namespace with a
 * private /run/wireguard: it owns interface {@code kubespan} with the default userspace options,
 * exactly as the agent will. Driven by lines on stdin (secrets never go on the command line):
 * {@code PSK <b64>}, {@code PEER <pub> <ip> <port> <allowed>}, {@code APPLY}, {@code READ},
 * {@code QUIT}.
 */
public final class IsolatedNodeMain {
  private IsolatedNodeMain() {}

  public static void main(String[] args) throws Exception {
    Inet6Address overlay = (Inet6Address) InetAddress.getByName(args[0]);
    WireGuardSecret key = WireGuardSecret.generatePrivateKey();
    WireGuardSecret psk = null;
    List<PeerConfig> peers = new ArrayList<>();
    try (UserspaceWireGuardDevice device = UserspaceWireGuardDevice.open("kubespan")) {
      device.configureLink(LinkConfig.kubespan(LinkConfig.KUBESPAN_MTU, overlay));
      System.out.println("PUBLIC " + key.publicKey().base64());
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        String[] w = line.trim().split(" ");
        switch (w[0]) {
          case "PSK" -> psk = WireGuardSecret.fromBase64(w[1]);
          case "PEER" -> peers.add(PeerConfig.of(WireGuardKey.fromBase64(w[1]), psk,
              Optional.of(new InetSocketAddress(InetAddress.getByName(w[2]), Integer.parseInt(w[3]))),
              List.of(AllowedIp.parse(w[4]))));
          case "APPLY" -> {
            device.apply(new DeviceConfig(key, DeviceConfig.KUBESPAN_PORT, DeviceConfig.KUBESPAN_FIREWALL_MARK, peers));
            System.out.println("APPLIED");
          }
          case "READ" -> {
            for (PeerReading p : device.read().peers()) {
              System.out.println("PEER " + p.publicKey() + " handshake=" + p.latestHandshake().isPresent()
                  + " rx=" + p.rxBytes() + " tx=" + p.txBytes());
            }
            System.out.println("END");
          }
          case "QUIT" -> {
            return;
          }
          default -> System.out.println("ERROR unknown command " + w[0]);
        }
        System.out.flush();
      }
    }
  }
}
