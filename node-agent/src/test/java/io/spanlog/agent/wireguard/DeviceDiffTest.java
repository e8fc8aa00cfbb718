package io.spanlog.agent.wireguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeviceDiffTest {
  private static final WireGuardSecret PRIVATE = WireGuardSecret.generatePrivateKey();
  private static final WireGuardSecret PSK = WireGuardSecret.generatePresharedKey();
  private static final WireGuardKey A = WireGuardSecret.generatePrivateKey().publicKey();
  private static final WireGuardKey B = WireGuardSecret.generatePrivateKey().publicKey();
  private static final WireGuardKey C = WireGuardSecret.generatePrivateKey().publicKey();

  private static PeerConfig peer(WireGuardKey key, String endpoint, String... allowed) {
    return PeerConfig.of(key, PSK, Optional.of(TestKeys.endpoint(endpoint, 51820)),
        List.of(allowed).stream().map(AllowedIp::parse).toList());
  }

  private static DeviceConfig config(PeerConfig... peers) {
    return new DeviceConfig(PRIVATE, 51820, 0x20, List.of(peers));
  }

  /** What the device reports after a config was applied (as wireguard-go would). */
  private static DeviceSnapshot deviceWith(DeviceConfig config) {
    List<PeerReading> peers = config.peers().stream()
        .map(p -> new PeerReading(p.publicKey(), p.endpoint(), Optional.of(Instant.ofEpochSecond(1_700_000_000)),
            100, 200, p.persistentKeepalive(), p.allowedIps()))
        .toList();
    Map<WireGuardKey, WireGuardSecret> psks = new java.util.HashMap<>();
    config.peers().forEach(p -> p.presharedKey().ifPresent(k -> psks.put(p.publicKey(), k)));
    return new DeviceSnapshot(new DeviceState(Optional.of(config.publicKey()), config.listenPort(),
        config.firewallMark(), peers), Optional.of(config.privateKey()), psks);
  }

  private static final DeviceSnapshot EMPTY =
      new DeviceSnapshot(new DeviceState(Optional.empty(), 0, 0, List.of()), Optional.empty(), Map.of());

  @Test
  void aFreshDeviceGetsKeysPortMarkAndEveryPeer() {
    String request = DeviceDiff.setRequest(EMPTY, config(peer(A, "10.0.0.1", "fd00::1/128"))).orElseThrow();
    assertThat(request).startsWith("set=1\nprivate_key=" + PRIVATE.revealHex() + "\nlisten_port=51820\nfwmark=32\n")
        .contains("public_key=" + A.hex() + "\npreshared_key=" + PSK.revealHex() + "\nendpoint=10.0.0.1:51820\n"
            + "persistent_keepalive_interval=25\nreplace_allowed_ips=true\nallowed_ip=fd00::1/128\n")
        .endsWith("\n\n")
        .doesNotContain("replace_peers");
  }

  @Test
  void aDeviceThatMatchesNeedsNoRequest() {
    DeviceConfig config = config(peer(A, "10.0.0.1", "fd00::1/128"), peer(B, "10.0.0.2", "fd00::2/128"));
    assertThat(DeviceDiff.setRequest(deviceWith(config), config)).isEmpty();
  }

  @Test
  void aPeerNotInTheConfigIsRemovedAndOthersAreLeftAlone() {
    DeviceConfig before = config(peer(A, "10.0.0.1", "fd00::1/128"), peer(B, "10.0.0.2", "fd00::2/128"));
    DeviceConfig after = config(peer(A, "10.0.0.1", "fd00::1/128"));
    assertThat(DeviceDiff.setRequest(deviceWith(before), after))
        .contains("set=1\npublic_key=" + B.hex() + "\nremove=true\n\n");
  }

  @Test
  void aChangedEndpointTouchesOnlyThatField() {
    DeviceConfig before = config(peer(A, "10.0.0.1", "fd00::1/128"), peer(B, "10.0.0.2", "fd00::2/128"));
    DeviceConfig after = config(peer(A, "10.0.0.1", "fd00::1/128"), peer(B, "10.1.0.2", "fd00::2/128"));
    assertThat(DeviceDiff.setRequest(deviceWith(before), after))
        .contains("set=1\npublic_key=" + B.hex() + "\nupdate_only=true\nendpoint=10.1.0.2:51820\n\n");
  }

  @Test
  void changedAllowedIpsAreReplacedWhole() {
    DeviceConfig before = config(peer(A, "10.0.0.1", "fd00::1/128", "10.0.0.1/32"));
    DeviceConfig after = config(peer(A, "10.0.0.1", "fd00::1/128", "192.168.0.0/24"));
    assertThat(DeviceDiff.setRequest(deviceWith(before), after)).contains("set=1\npublic_key=" + A.hex()
        + "\nupdate_only=true\nreplace_allowed_ips=true\nallowed_ip=192.168.0.0/24\nallowed_ip=fd00::1/128\n\n");
  }

  @Test
  void allowedIpsInAnotherOrderAreTheSame() {
    DeviceConfig config = config(peer(A, "10.0.0.1", "fd00::1/128", "10.0.0.1/32"));
    DeviceConfig reordered = config(peer(A, "10.0.0.1", "10.0.0.1/32", "fd00::1/128"));
    assertThat(DeviceDiff.setRequest(deviceWith(config), reordered)).isEmpty();
  }

  @Test
  void aDroppedPresharedKeyIsZeroedAndAChangedPrivateKeyIsSet() {
    DeviceConfig before = config(peer(A, "10.0.0.1", "fd00::1/128"));
    PeerConfig withoutPsk = new PeerConfig(A, Optional.empty(), Optional.of(TestKeys.endpoint("10.0.0.1", 51820)),
        Duration.ofSeconds(25), List.of(AllowedIp.parse("fd00::1/128")));
    WireGuardSecret newKey = WireGuardSecret.generatePrivateKey();
    DeviceConfig after = new DeviceConfig(newKey, 51820, 0x20, List.of(withoutPsk));
    assertThat(DeviceDiff.setRequest(deviceWith(before), after)).contains("set=1\nprivate_key=" + newKey.revealHex()
        + "\npublic_key=" + A.hex() + "\nupdate_only=true\npreshared_key=" + "0".repeat(64) + "\n\n");
  }

  @Test
  void anAbsentEndpointLeavesTheDevicesEndpoint() {
    DeviceConfig before = config(peer(A, "10.0.0.1", "fd00::1/128"));
    PeerConfig noEndpoint = new PeerConfig(A, Optional.of(PSK), Optional.empty(), Duration.ofSeconds(25),
        List.of(AllowedIp.parse("fd00::1/128")));
    assertThat(DeviceDiff.setRequest(deviceWith(before), config(noEndpoint))).isEmpty();
  }

  @Test
  void portMarkAndNewPeersTogether() {
    DeviceConfig before = config(peer(A, "10.0.0.1", "fd00::1/128"));
    DeviceConfig after = new DeviceConfig(PRIVATE, 51821, 0, List.of(peer(A, "10.0.0.1", "fd00::1/128"),
        peer(C, "10.0.0.3", "fd00::3/128")));
    String request = DeviceDiff.setRequest(deviceWith(before), after).orElseThrow();
    assertThat(request).startsWith("set=1\nlisten_port=51821\nfwmark=0\npublic_key=" + C.hex() + "\n")
        .doesNotContain(A.hex());
  }
}
