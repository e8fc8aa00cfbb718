package io.spanlog.agent.wireguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UapiProtocolTest {
  private static final WireGuardSecret PRIVATE = WireGuardSecret.fromBase64(TestKeys.WG_PRIVATE);
  private static final WireGuardSecret PSK = WireGuardSecret.fromBase64(TestKeys.WG_PSK);
  private static final WireGuardKey PEER_A = WireGuardSecret.generatePrivateKey().publicKey();
  private static final WireGuardKey PEER_B = WireGuardSecret.generatePrivateKey().publicKey();

  @Test
  void parsesAGetResponseWithTwoPeers() {
    String response = "private_key=" + PRIVATE.revealHex() + "\n"
        + "listen_port=51820\n"
        + "fwmark=32\n"
        + "public_key=" + PEER_A.hex() + "\n"
        + "preshared_key=" + PSK.revealHex() + "\n"
        + "protocol_version=1\n"
        + "endpoint=10.91.1.2:51820\n"
        + "last_handshake_time_sec=1700000000\n"
        + "last_handshake_time_nsec=250000000\n"
        + "tx_bytes=1184\n"
        + "rx_bytes=920\n"
        + "persistent_keepalive_interval=25\n"
        + "allowed_ip=fd7f:175a:b97c:5602:2c1a:b6ff:fe53:8169/128\n"
        + "allowed_ip=10.91.1.2/32\n"
        + "public_key=" + PEER_B.hex() + "\n"
        + "preshared_key=" + "0".repeat(64) + "\n"
        + "protocol_version=1\n"
        + "endpoint=[fd00::3]:51821\n"
        + "last_handshake_time_sec=0\n"
        + "last_handshake_time_nsec=0\n"
        + "tx_bytes=0\n"
        + "rx_bytes=0\n"
        + "persistent_keepalive_interval=0\n"
        + "errno=0\n\n";

    DeviceSnapshot snapshot = UapiProtocol.parseGet("kubespan", response);
    DeviceState state = snapshot.state();

    assertThat(state.publicKey()).contains(WireGuardKey.fromBase64(TestKeys.WG_PUBLIC));
    assertThat(state.listenPort()).isEqualTo(51820);
    assertThat(state.firewallMark()).isEqualTo(0x20);
    assertThat(state.peers()).hasSize(2);
    PeerReading a = state.peer(PEER_A).orElseThrow();
    assertThat(a.endpoint()).contains(TestKeys.endpoint("10.91.1.2", 51820));
    assertThat(a.latestHandshake()).contains(Instant.ofEpochSecond(1700000000, 250000000));
    assertThat(a.rxBytes()).isEqualTo(920);
    assertThat(a.txBytes()).isEqualTo(1184);
    assertThat(a.persistentKeepalive()).isEqualTo(Duration.ofSeconds(25));
    assertThat(a.allowedIps()).extracting(AllowedIp::toString)
        .containsExactly("10.91.1.2/32", "fd7f:175a:b97c:5602:2c1a:b6ff:fe53:8169/128");
    PeerReading b = state.peer(PEER_B).orElseThrow();
    assertThat(b.endpoint()).contains(TestKeys.endpoint("fd00::3", 51821));
    assertThat(b.latestHandshake()).isEmpty();
    assertThat(b.allowedIps()).isEmpty();
    assertThat(snapshot.privateKey()).contains(PRIVATE);
    assertThat(snapshot.presharedKeys()).containsOnlyKeys(PEER_A);
  }

  @Test
  void aFreshDeviceHasNoKeyAndNoPeers() {
    DeviceState state = UapiProtocol.parseGet("wg0", "errno=0\n\n").state();
    assertThat(state.publicKey()).isEmpty();
    assertThat(state.listenPort()).isZero();
    assertThat(state.peers()).isEmpty();
  }

  @Test
  void aNonZeroErrnoIsAnExceptionNamingIt() {
    assertThatThrownBy(() -> UapiProtocol.requireSuccess("kubespan", "set", "errno=98\n\n"))
        .isInstanceOf(WireGuardException.class)
        .hasMessageContaining("kubespan").hasMessageContaining("errno=98").hasMessageContaining("listen port")
        .satisfies(e -> assertThat(((WireGuardException) e).errno()).hasValue(98));
  }

  @Test
  void aResponseWithoutErrnoIsAProtocolError() {
    assertThatThrownBy(() -> UapiProtocol.parseGet("kubespan", "listen_port=1\n"))
        .isInstanceOf(WireGuardException.class).hasMessageContaining("no errno");
  }

  @Test
  void aBadSecretValueIsReportedWithoutTheValue() {
    String bad = "ab".repeat(31);
    assertThatThrownBy(() -> UapiProtocol.parseGet("kubespan", "private_key=" + bad + "\nerrno=0\n\n"))
        .isInstanceOf(WireGuardException.class)
        .hasMessageContaining("private_key").hasMessageNotContaining(bad);
  }

  @Test
  void aReplaceRequestSetsEverythingAndReplacesPeers() {
    DeviceConfig config = new DeviceConfig(PRIVATE, 51820, 0x20, List.of(
        PeerConfig.of(PEER_A, PSK, Optional.of(TestKeys.endpoint("fd00::2", 51820)),
            List.of(AllowedIp.parse("fd00::2/128")))));
    assertThat(UapiProtocol.replaceRequest(config)).isEqualTo("set=1\n"
        + "private_key=" + PRIVATE.revealHex() + "\n"
        + "listen_port=51820\n"
        + "fwmark=32\n"
        + "replace_peers=true\n"
        + "public_key=" + PEER_A.hex() + "\n"
        + "preshared_key=" + PSK.revealHex() + "\n"
        + "endpoint=[fd00::2]:51820\n"
        + "persistent_keepalive_interval=25\n"
        + "replace_allowed_ips=true\n"
        + "allowed_ip=fd00::2/128\n"
        + "\n");
  }
}
