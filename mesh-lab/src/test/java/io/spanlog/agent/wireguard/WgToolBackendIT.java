package io.spanlog.agent.wireguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spanlog.agent.netns.E2eRequirement;
import io.spanlog.agent.netns.NetnsLab;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The wg(8) backend has no kernel module to talk to here, but wg speaks the same UAPI to
 * wireguard-go: this checks its config rendering and dump parsing against the real tool.
 */
class WgToolBackendIT {
  private static NetnsLab lab;

  @BeforeAll
  static void buildLab() {
    E2eRequirement.requireNetnsLab();
    lab = NetnsLab.create("spwt", 1, 96);
  }

  @AfterAll
  static void removeLab() {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void anExistingInterfaceThatIsNotWireGuardIsLeftAlone() {
    var runner = lab.runner(lab.node(1));
    String uplink = io.spanlog.agent.netns.LabNode.linkName(1);
    String before = runner.check("ip", "-o", "addr", "show", "dev", uplink).stdout()
        + runner.check("ip", "-o", "link", "show", "dev", uplink).stdout();
    assertThatThrownBy(() -> KernelWireGuardDevice.open(uplink, runner))
        .hasMessageContaining("not a WireGuard interface").hasMessageContaining("kubespan.interface");
    assertThatThrownBy(() -> KernelWireGuardDevice.attach(uplink, runner))
        .hasMessageContaining("not a WireGuard interface");
    assertThatThrownBy(() -> UserspaceWireGuardDevice.open(uplink, UserspaceOptions.defaults().withRunner(runner)))
        .hasMessageContaining("left alone");
    String after = runner.check("ip", "-o", "addr", "show", "dev", uplink).stdout()
        + runner.check("ip", "-o", "link", "show", "dev", uplink).stdout();
    assertThat(after).as("MTU, state and addresses of the uplink unchanged").isEqualTo(before);
  }

  @Test
  void syncconfReconcilesAndDumpReadsBack() {
    WireGuardSecret psk = WireGuardSecret.generatePresharedKey();
    WireGuardKey a = WireGuardSecret.generatePrivateKey().publicKey();
    WireGuardKey b = WireGuardSecret.generatePrivateKey().publicKey();
    PeerConfig peerA = PeerConfig.of(a, psk, Optional.of(new InetSocketAddress(lab.node(1).underlay(1), 51820)),
        List.of(AllowedIp.parse("fd5b:96::a/128"), AllowedIp.parse("10.96.9.0/24")));
    PeerConfig peerB = PeerConfig.of(b, psk, Optional.empty(), List.of(AllowedIp.parse("fd5b:96::b/128")));
    DeviceConfig config = new DeviceConfig(WireGuardSecret.generatePrivateKey(), 51820, 0x20, List.of(peerA, peerB));
    UserspaceOptions options = UserspaceOptions.defaults().withRunner(lab.runner(lab.node(1)));
    try (UserspaceWireGuardDevice daemon = UserspaceWireGuardDevice.open("spwt1", options);
        KernelWireGuardDevice wg = KernelWireGuardDevice.attach("spwt1", lab.runner(lab.node(1)))) {
      wg.apply(config);
      DeviceState byWg = wg.read();
      assertThat(byWg).isEqualTo(daemon.read());
      assertThat(byWg.publicKey()).contains(config.publicKey());
      assertThat(byWg.firewallMark()).isEqualTo(0x20);
      assertThat(byWg.peer(a).orElseThrow().allowedIps()).isEqualTo(peerA.allowedIps());
      assertThat(byWg.peer(a).orElseThrow().endpoint()).isEqualTo(peerA.endpoint());
      assertThat(byWg.peer(b).orElseThrow().endpoint()).isEmpty();

      wg.apply(config.withPeers(List.of(peerB)));
      assertThat(daemon.read().peers()).extracting(PeerReading::publicKey).containsExactly(b);
    }
  }
}
