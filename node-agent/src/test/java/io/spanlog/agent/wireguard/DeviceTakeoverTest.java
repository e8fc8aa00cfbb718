package io.spanlog.agent.wireguard;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The takeover rule on simulated devices, read as the agent reads them right after opening. */
class DeviceTakeoverTest {
  private final WireGuardSecret own = WireGuardSecret.generatePrivateKey();
  private final WireGuardSecret foreign = WireGuardSecret.generatePrivateKey();
  private final WireGuardSecret peer = WireGuardSecret.generatePrivateKey();

  private DeviceConfig withOnePeer(WireGuardSecret key) {
    return new DeviceConfig(key, 51820, 0, List.of(PeerConfig.of(peer.publicKey(), WireGuardSecret.generatePresharedKey(),
        Optional.of(TestKeys.endpoint("192.0.2.7", 51820)), List.of(AllowedIp.parse("10.9.0.0/16")))));
  }

  @Test
  void anEmptyDeviceIsTakenOver() {
    var device = SimulatedWireGuardDevice.standalone("kubespan");
    assertThatCode(() -> DeviceTakeover.require("kubespan", device.read(), own.publicKey())).doesNotThrowAnyException();
  }

  @Test
  void aDeviceWithThisNodesKeyIsTakenOverEvenWithPeers() {
    var device = SimulatedWireGuardDevice.standalone("kubespan");
    device.apply(withOnePeer(own)); // the agent's own wireguard-go, left running over a restart
    assertThatCode(() -> DeviceTakeover.require("kubespan", device.read(), own.publicKey())).doesNotThrowAnyException();
  }

  @Test
  void aDeviceWithAnotherKeyIsRefusedWithASentenceNamingIt() {
    var device = SimulatedWireGuardDevice.standalone("kubespan");
    device.apply(withOnePeer(foreign));
    assertThatThrownBy(() -> DeviceTakeover.require("kubespan", device.read(), own.publicKey()))
        .isInstanceOf(WireGuardException.class)
        .hasMessage("interface kubespan already runs WireGuard with another key (public key "
            + foreign.publicKey().base64() + "); refusing to take it over: remove it or choose another interface");
    var noPeers = SimulatedWireGuardDevice.standalone("wg0");
    noPeers.apply(new DeviceConfig(foreign, 51820, 0, List.of()));
    assertThatThrownBy(() -> DeviceTakeover.require("wg0", noPeers.read(), own.publicKey()))
        .hasMessageContaining("interface wg0 already runs WireGuard with another key");
  }

  @Test
  void peersWithoutAKeyAreSomeoneElsesToo() {
    var read = new DeviceState(Optional.empty(), 51820, 0, List.of(new PeerReading(peer.publicKey(), Optional.empty(),
        Optional.empty(), 0, 0, java.time.Duration.ZERO, List.of())));
    assertThatThrownBy(() -> DeviceTakeover.require("kubespan", read, own.publicKey()))
        .hasMessage("interface kubespan already runs WireGuard with 1 peers and no key of its own; refusing to take it "
            + "over: remove it or choose another interface");
  }
}
