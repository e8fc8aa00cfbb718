package io.spanlog.agent.wireguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WgToolTest {
  private static final WireGuardSecret PRIVATE = WireGuardSecret.fromBase64(TestKeys.WG_PRIVATE);
  private static final WireGuardSecret PSK = WireGuardSecret.fromBase64(TestKeys.WG_PSK);
  private static final WireGuardKey PEER = WireGuardKey.fromBase64("3YWBXZV2cicBFnJqv8aWkEjaxsJz5a89373sh7J3HS0=");

  @Test
  void rendersASetconfFile() {
    DeviceConfig config = new DeviceConfig(PRIVATE, 51820, 0x20, List.of(
        PeerConfig.of(PEER, PSK, Optional.of(TestKeys.endpoint("fd00::2", 51820)),
            List.of(AllowedIp.parse("fd00::2/128"), AllowedIp.parse("10.0.0.0/8"))),
        new PeerConfig(PRIVATE.publicKey(), Optional.empty(), Optional.empty(), Duration.ZERO, List.of())));
    assertThat(WgTool.renderConfig(config)).isEqualTo("[Interface]\n"
        + "PrivateKey = " + TestKeys.WG_PRIVATE + "\n"
        + "ListenPort = 51820\n"
        + "FwMark = 0x20\n"
        + "\n[Peer]\n"
        + "PublicKey = " + PEER.base64() + "\n"
        + "PresharedKey = " + TestKeys.WG_PSK + "\n"
        + "Endpoint = [fd00::2]:51820\n"
        + "PersistentKeepalive = 25\n"
        + "AllowedIPs = 10.0.0.0/8, fd00::2/128\n"
        + "\n[Peer]\n"
        + "PublicKey = " + TestKeys.WG_PUBLIC + "\n"
        + "PersistentKeepalive = off\n");
  }

  @Test
  void parsesWgShowDump() {
    // Shape as printed by wg show <iface> dump on wireguard-go (two peers, one never seen).
    String dump = TestKeys.WG_PRIVATE + "\t" + TestKeys.WG_PUBLIC + "\t51820\t0x20\n"
        + PEER.base64() + "\t" + TestKeys.WG_PSK + "\t10.99.0.2:51820\tfd00::2/128,10.99.0.2/32\t1700000123\t468\t560\t25\n"
        + TestKeys.WG_PUBLIC + "\t(none)\t(none)\t(none)\t0\t0\t0\toff\n";
    DeviceSnapshot snapshot = WgTool.parseDump("kubespan", dump);
    DeviceState state = snapshot.state();
    assertThat(state.publicKey()).contains(WireGuardKey.fromBase64(TestKeys.WG_PUBLIC));
    assertThat(state.listenPort()).isEqualTo(51820);
    assertThat(state.firewallMark()).isEqualTo(0x20);
    PeerReading first = state.peers().get(0);
    assertThat(first.publicKey()).isEqualTo(PEER);
    assertThat(first.endpoint()).contains(TestKeys.endpoint("10.99.0.2", 51820));
    assertThat(first.allowedIps()).extracting(AllowedIp::toString).containsExactly("10.99.0.2/32", "fd00::2/128");
    assertThat(first.latestHandshake()).contains(Instant.ofEpochSecond(1700000123));
    assertThat(first.rxBytes()).isEqualTo(468);
    assertThat(first.txBytes()).isEqualTo(560);
    assertThat(first.persistentKeepalive()).isEqualTo(Duration.ofSeconds(25));
    PeerReading second = state.peers().get(1);
    assertThat(second.endpoint()).isEmpty();
    assertThat(second.latestHandshake()).isEmpty();
    assertThat(second.allowedIps()).isEmpty();
    assertThat(second.persistentKeepalive()).isEqualTo(Duration.ZERO);
    assertThat(snapshot.presharedKeys()).containsOnlyKeys(PEER);
  }

  @Test
  void aDeviceWithoutKeyOrMark() {
    DeviceState state = WgTool.parseDump("wg0", "(none)\t(none)\t0\toff\n").state();
    assertThat(state.publicKey()).isEmpty();
    assertThat(state.firewallMark()).isZero();
  }

  @Test
  void aTruncatedLineIsAClearError() {
    assertThatThrownBy(() -> WgTool.parseDump("wg0", "(none)\t(none)\t0\toff\nabc\t1\n"))
        .isInstanceOf(WireGuardException.class).hasMessageContaining("peer line 1").hasMessageContaining("2 fields");
  }

  @Test
  void toolErrorsAreScrubbedOfTheConfigsSecrets() {
    DeviceConfig config = new DeviceConfig(PRIVATE, 51820, 0, List.of(
        PeerConfig.of(PEER, PSK, Optional.empty(), List.of())));
    String stderr = "Key is not the correct length or format: `" + TestKeys.WG_PSK + "' near " + PRIVATE.revealHex();
    assertThat(Redaction.scrub(stderr, config)).doesNotContain(TestKeys.WG_PSK, PRIVATE.revealHex()).contains("(secret)");
  }
}
