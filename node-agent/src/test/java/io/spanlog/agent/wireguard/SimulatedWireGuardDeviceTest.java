package io.spanlog.agent.wireguard;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.infra.testing.ManualClock;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SimulatedWireGuardDeviceTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2025-01-01T00:00:00Z"));
  private final SimulatedNetwork network = new SimulatedNetwork(clock);
  private final WireGuardSecret psk = WireGuardSecret.generatePresharedKey();
  private final WireGuardSecret keyA = WireGuardSecret.generatePrivateKey();
  private final WireGuardSecret keyB = WireGuardSecret.generatePrivateKey();

  private DeviceConfig config(WireGuardSecret self, WireGuardSecret other, String otherEndpoint) {
    return new DeviceConfig(self, 51820, 0x20, List.of(PeerConfig.of(other.publicKey(), psk,
        Optional.of(TestKeys.endpoint(otherEndpoint, 51820)), List.of(AllowedIp.parse("fd00::1/128")))));
  }

  @Test
  void peersThatListEachOtherHandshakeAndCountBytes() throws Exception {
    var a = SimulatedWireGuardDevice.on(network, "a", Set.of(InetAddress.getByName("10.1.0.1")));
    var b = SimulatedWireGuardDevice.on(network, "b", Set.of(InetAddress.getByName("10.1.0.2")));
    a.apply(config(keyA, keyB, "10.1.0.2"));
    assertThat(a.read().peers().get(0).latestHandshake()).as("b does not list a yet").isEmpty();

    b.apply(config(keyB, keyA, "10.1.0.1"));
    PeerReading seen = a.read().peers().get(0);
    assertThat(seen.latestHandshake()).contains(clock.instant());
    assertThat(b.read().peers().get(0).latestHandshake()).contains(clock.instant());
    assertThat(a.read().peers().get(0).rxBytes()).isGreaterThan(seen.rxBytes());
  }

  @Test
  void aCutAddressStopsHandshakesUntilTheEndpointMoves() throws Exception {
    InetAddress b1 = InetAddress.getByName("10.1.0.2");
    var a = SimulatedWireGuardDevice.on(network, "a", Set.of(InetAddress.getByName("10.1.0.1")));
    var b = SimulatedWireGuardDevice.on(network, "b", Set.of(b1, InetAddress.getByName("10.2.0.2")));
    a.apply(config(keyA, keyB, "10.1.0.2"));
    b.apply(new DeviceConfig(keyB, 51820, 0, List.of(PeerConfig.of(keyA.publicKey(), psk, Optional.empty(),
        List.of()))));
    Instant first = a.read().peers().get(0).latestHandshake().orElseThrow();

    network.cut(b1);
    clock.advance(Duration.ofSeconds(300));
    assertThat(a.read().peers().get(0).latestHandshake()).contains(first);

    a.apply(config(keyA, keyB, "10.2.0.2"));
    assertThat(a.read().peers().get(0).latestHandshake()).contains(clock.instant());
  }

  @Test
  void aStandaloneDeviceReadsBackItsConfigAndNeverHandshakes() {
    var device = SimulatedWireGuardDevice.standalone("solo");
    assertThat(device.read().peers()).isEmpty();
    device.apply(config(keyA, keyB, "10.1.0.2"));
    DeviceState state = device.read();
    assertThat(state.publicKey()).contains(keyA.publicKey());
    assertThat(state.peers()).singleElement().satisfies(p -> {
      assertThat(p.publicKey()).isEqualTo(keyB.publicKey());
      assertThat(p.latestHandshake()).isEmpty();
    });
    device.apply(config(keyA, keyB, "10.1.0.2").withPeers(List.of()));
    assertThat(device.read().peers()).isEmpty();
  }
}
