package io.spanlog.agent.wireguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spanlog.agent.AgentException;
import io.spanlog.agent.NodeAgent;
import io.spanlog.agent.config.NodeConfig;
import io.spanlog.agent.config.NodeConfigParser;
import io.spanlog.agent.host.FixedHost;
import io.spanlog.agent.netns.E2eRequirement;
import io.spanlog.agent.netns.LabNode;
import io.spanlog.agent.netns.NetnsLab;
import io.spanlog.agent.os.CommandResult;
import io.vertx.core.Vertx;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real wireguard-go in three network namespaces, programmed from this JVM (outside them) through
 * the userspace backend. This JVM shares the host's /var/run/wireguard, so each node's interface
 * has its own name (spwg1..3).
 */
class UserspaceWireGuardIT {
  private static final int PORT = 51820;
  private static NetnsLab lab;

  private final WireGuardSecret psk = WireGuardSecret.generatePresharedKey();
  private final List<WireGuardSecret> keys = List.of(
      WireGuardSecret.generatePrivateKey(), WireGuardSecret.generatePrivateKey(), WireGuardSecret.generatePrivateKey());
  private final List<UserspaceWireGuardDevice> opened = new ArrayList<>();

  @BeforeAll
  static void buildLab() {
    E2eRequirement.requireNetnsLab();
    lab = NetnsLab.create("spwg", 3);
  }

  @AfterAll
  static void removeLab() {
    if (lab != null) {
      lab.close();
    }
  }

  @AfterEach
  void closeDevices() {
    opened.forEach(UserspaceWireGuardDevice::close);
  }

  @Test
  void twoNodesReachEachOtherOverTheOverlayAndCountTraffic() throws Exception {
    UserspaceWireGuardDevice one = device(1);
    UserspaceWireGuardDevice two = device(2);
    one.apply(config(1, peer(2, 1)));
    two.apply(config(2, peer(1, 1)));

    assertThat(ping(1, 2)).as("node 1 pings node 2's overlay address").isTrue();
    PeerReading first = one.read().peer(publicKey(2)).orElseThrow();
    assertThat(first.latestHandshake()).isPresent();
    assertThat(first.latestHandshake().get()).isAfter(Instant.now().minusSeconds(60));
    assertThat(first.endpoint()).contains(endpoint(2, 1));
    assertThat(first.rxBytes()).isPositive();
    assertThat(first.txBytes()).isPositive();
    assertThat(first.allowedIps()).containsExactly(AllowedIp.parse(overlay(2).getHostAddress() + "/128"));

    assertThat(ping(2, 1)).isTrue();
    PeerReading later = one.read().peer(publicKey(2)).orElseThrow();
    assertThat(later.rxBytes()).isGreaterThan(first.rxBytes());
    assertThat(later.txBytes()).isGreaterThan(first.txBytes());

    DeviceState state = one.read();
    assertThat(state.publicKey()).contains(publicKey(1));
    assertThat(state.listenPort()).isEqualTo(PORT);
    assertThat(state.firewallMark()).isEqualTo(DeviceConfig.KUBESPAN_FIREWALL_MARK);
  }

  @Test
  void aPeerLeftOutOfTheConfigIsRemovedFromTheDevice() throws Exception {
    UserspaceWireGuardDevice one = device(1);
    UserspaceWireGuardDevice two = device(2);
    UserspaceWireGuardDevice three = device(3);
    one.apply(config(1, peer(2, 1), peer(3, 1)));
    two.apply(config(2, peer(1, 1)));
    three.apply(config(3, peer(1, 1)));
    assertThat(ping(1, 3)).isTrue();
    assertThat(one.read().peers()).extracting(PeerReading::publicKey).containsExactlyInAnyOrder(publicKey(2), publicKey(3));

    one.apply(config(1, peer(2, 1)));

    assertThat(one.read().peers()).extracting(PeerReading::publicKey).containsExactly(publicKey(2));
    assertThat(ping(1, 3)).as("node 3 is no longer a peer").isFalse();
    assertThat(ping(1, 2)).isTrue();
  }

  @Test
  void movingTheEndpointToTheSecondLinkRestoresACutPeer() throws Exception {
    UserspaceWireGuardDevice one = device(1);
    UserspaceWireGuardDevice two = device(2);
    one.apply(config(1, peer(2, 1)));
    two.apply(config(2, peer(1, 1)));
    assertThat(ping(1, 2)).isTrue();

    lab.cut(lab.node(2), 1);
    try {
      assertThat(ping(1, 2)).as("link 1 of node 2 is cut").isFalse();

      one.apply(config(1, peer(2, 2)));
      two.apply(config(2, peer(1, 2)));

      assertThat(ping(1, 2)).as("over link 2").isTrue();
      assertThat(one.read().peer(publicKey(2)).orElseThrow().endpoint()).contains(endpoint(2, 2));
    } finally {
      lab.restore(lab.node(2), 1);
    }
  }

  @Test
  void reapplyingTheSameConfigKeepsTheSessionWhileAReplaceDropsIt() throws Exception {
    UserspaceWireGuardDevice one = device(1);
    UserspaceWireGuardDevice two = device(2);
    DeviceConfig config = config(1, peer(2, 1));
    one.apply(config);
    two.apply(config(2, peer(1, 1)));
    assertThat(ping(1, 2)).isTrue();
    Optional<Instant> handshake = one.read().peer(publicKey(2)).orElseThrow().latestHandshake();
    assertThat(handshake).isPresent();

    one.apply(config);
    assertThat(one.read().peer(publicKey(2)).orElseThrow().latestHandshake()).isEqualTo(handshake);

    one.replace(config);
    // The re-created peer has lost the session: no handshake yet, or (keepalive starts one at
    // once) a new one.
    assertThat(one.read().peer(publicKey(2)).orElseThrow().latestHandshake())
        .as("replace_peers re-creates the peer").isNotEqualTo(handshake);
  }

  @Test
  void openingARunningDeviceAttachesAndLeavesItRunning() {
    UserspaceWireGuardDevice one = device(1);
    one.apply(config(1, peer(2, 1)));
    try (UserspaceWireGuardDevice again = UserspaceWireGuardDevice.open(name(1), options(1))) {
      assertThat(again.daemonPid()).isEmpty();
      assertThat(again.read().peers()).extracting(PeerReading::publicKey).containsExactly(publicKey(2));
    }
    assertThat(one.read().publicKey()).contains(publicKey(1));
  }

  @Test
  void aSocketOfAnotherNamespaceIsRefusedWithTheReason() {
    device(1);
    assertThatThrownBy(() -> UserspaceWireGuardDevice.open(name(1), options(2)))
        .isInstanceOf(WireGuardException.class)
        .hasMessageContaining("no interface " + name(1))
        .hasMessageContaining("socket folder is shared");
  }

  @Test
  void aRefusedRequestIsAnExceptionWithTheErrno() {
    UserspaceWireGuardDevice one = device(1);
    one.apply(config(1));
    try (UserspaceWireGuardDevice clash = UserspaceWireGuardDevice.open("spwgx", options(1))) {
      assertThatThrownBy(() -> clash.apply(config(1)))
          .isInstanceOf(WireGuardException.class)
          .hasMessageContaining("spwgx")
          .hasMessageContaining("errno")
          .hasMessageNotContaining(keys.get(0).revealHex())
          .satisfies(e -> assertThat(((WireGuardException) e).errno()).isPresent());
    }
  }

  @Test
  void linkSettingsAreIdempotentAndReplaceStrayAddresses() {
    UserspaceWireGuardDevice one = device(1);
    LabNode node = lab.node(1);
    lab.exec(node, "ip", "-6", "addr", "add", "fd99::9/64", "dev", name(1), "nodad");
    one.configureLink(LinkConfig.kubespan(1380, overlay(1)));
    one.configureLink(LinkConfig.kubespan(1380, overlay(1)));
    assertThat(one.link().globalIpv6Addresses()).containsExactly(DeviceAddressText.formatAddress(overlay(1)) + "/64");
    CommandResult show = lab.exec(node, "ip", "link", "show", "dev", name(1));
    assertThat(show.stdout()).contains("mtu 1380").contains("UP");
  }

  /**
   * An agent whose configured interface already runs wireguard-go with another key and a peer
   * (another VPN, another cluster's agent) refuses to start, naming the interface, and leaves that
   * device as it found it: same key, same peer, still running.
   */
  @Test
  void anAgentRefusesToTakeOverARealDeviceThatRunsWithAnotherKey(@TempDir Path state) throws Exception {
    UserspaceWireGuardDevice foreign = device(1);
    foreign.apply(config(1, peer(2, 1)));
    String yaml = "cluster: { id: takeover, secret: \"" + java.util.Base64.getEncoder().encodeToString(new byte[32])
        + "\" }\n"
        + "discovery: { endpoint: \"http://127.0.0.1:1/\" }\n" // never reached: the agent stops before discovery
        + "kubespan: { interface: " + name(1) + ", backend: userspace }\n"
        + "stateFolder: \"" + state + "\"\nstatusApi: { port: 0 }\n";
    NodeConfig config = NodeConfigParser.parse(yaml);
    Vertx vertx = Vertx.vertx();
    try {
      NodeAgent agent = NodeAgent.create(config, vertx,
          c -> UserspaceWireGuardDevice.open(c.interfaceName(), options(1)), Clock.systemUTC(),
          FixedHost.simulated("takeover", 1, List.of(lab.node(1).underlay(1))));
      assertThatThrownBy(agent::start)
          .isInstanceOf(AgentException.class)
          .hasMessageContaining("interface " + name(1) + " already runs WireGuard with another key")
          .hasMessageContaining(publicKey(1).base64())
          .hasMessageNotContaining(keys.get(0).revealBase64());
      agent.stop();
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
    DeviceState after = foreign.read();
    assertThat(after.publicKey()).as("the foreign key is still there").contains(publicKey(1));
    assertThat(after.peers()).extracting(PeerReading::publicKey).containsExactly(publicKey(2));
    assertThat(foreign.daemonPid()).hasValueSatisfying(pid ->
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("wireguard-go still runs").contains(true));
  }

  // --- helpers

  private UserspaceWireGuardDevice device(int node) {
    UserspaceWireGuardDevice device = UserspaceWireGuardDevice.open(name(node), options(node));
    opened.add(device);
    device.configureLink(LinkConfig.kubespan(LinkConfig.KUBESPAN_MTU, overlay(node)));
    return device;
  }

  private static UserspaceOptions options(int node) {
    return UserspaceOptions.defaults().withRunner(lab.runner(lab.node(node)));
  }

  private static String name(int node) {
    return "spwg" + node;
  }

  private WireGuardKey publicKey(int node) {
    return keys.get(node - 1).publicKey();
  }

  private DeviceConfig config(int node, PeerConfig... peers) {
    return new DeviceConfig(keys.get(node - 1), PORT, DeviceConfig.KUBESPAN_FIREWALL_MARK, List.of(peers));
  }

  private PeerConfig peer(int node, int link) {
    return PeerConfig.of(publicKey(node), psk, Optional.of(endpoint(node, link)),
        List.of(AllowedIp.parse(overlay(node).getHostAddress() + "/128")));
  }

  private static InetSocketAddress endpoint(int node, int link) {
    return new InetSocketAddress(lab.node(node).underlay(link), PORT);
  }

  static Inet6Address overlay(int node) {
    try {
      return (Inet6Address) InetAddress.getByName("fd5b:91::" + node);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Up to a few tries: the first packets wait for the handshake. */
  private static boolean ping(int from, int to) {
    CommandResult result = lab.exec(lab.node(from), "ping", "-6", "-c", "3", "-i", "0.2", "-W", "2",
        DeviceAddressText.formatAddress(overlay(to)));
    return result.succeeded();
  }
}
