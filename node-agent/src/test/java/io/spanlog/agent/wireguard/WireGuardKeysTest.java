package io.spanlog.agent.wireguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WireGuardKeysTest {

  @Test
  void derivesThePublicKeyAsWgPubkeyDoes() {
    WireGuardSecret privateKey = WireGuardSecret.fromBase64(TestKeys.WG_PRIVATE);
    assertThat(privateKey.publicKey()).isEqualTo(WireGuardKey.fromBase64(TestKeys.WG_PUBLIC));
  }

  @Test
  void derivesThePublicKeyOfRfc7748() {
    // RFC 7748 section 6.1, Alice's key pair
    WireGuardSecret alice = WireGuardSecret.fromHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    assertThat(alice.publicKey())
        .isEqualTo(WireGuardKey.fromHex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"));
  }

  @Test
  void aKeyFromAGivenRandomIsClampedAndRoundTripsThroughBase64() {
    WireGuardSecret key = WireGuardSecret.generatePrivateKey(new java.security.SecureRandom());
    byte[] raw = key.bytes();
    assertThat(raw[0] & 7).isZero();
    assertThat(raw[31] & 0xc0).isEqualTo(0x40);
    assertThat(WireGuardSecret.fromBase64(key.revealBase64())).isEqualTo(key);
    assertThat(WireGuardSecret.fromBase64(key.revealBase64()).publicKey()).isEqualTo(key.publicKey());
  }

  @Test
  void generatedKeysAreClampedAndDistinct() {
    WireGuardSecret a = WireGuardSecret.generatePrivateKey();
    WireGuardSecret b = WireGuardSecret.generatePrivateKey();
    byte[] raw = a.bytes();
    assertThat(raw[0] & 7).isZero();
    assertThat(raw[31] & 0xc0).isEqualTo(0x40);
    assertThat(a).isNotEqualTo(b);
    assertThat(a.publicKey()).isNotEqualTo(b.publicKey());
  }

  @Test
  void keysRoundTripThroughBase64AndHex() {
    WireGuardKey key = WireGuardKey.fromBase64(TestKeys.WG_PUBLIC);
    assertThat(key.base64()).isEqualTo(TestKeys.WG_PUBLIC);
    assertThat(WireGuardKey.fromHex(key.hex())).isEqualTo(key);
    WireGuardSecret psk = WireGuardSecret.fromBase64(TestKeys.WG_PSK);
    assertThat(WireGuardSecret.fromHex(psk.revealHex())).isEqualTo(psk);
  }

  @Test
  void secretsNeverShowInTextForms() {
    WireGuardSecret privateKey = WireGuardSecret.fromBase64(TestKeys.WG_PRIVATE);
    WireGuardSecret psk = WireGuardSecret.fromBase64(TestKeys.WG_PSK);
    DeviceConfig config = new DeviceConfig(privateKey, 51820, 0x20, List.of(PeerConfig.of(
        WireGuardKey.fromBase64(TestKeys.WG_PUBLIC), psk, Optional.of(TestKeys.endpoint("10.0.0.2", 51820)),
        List.of(AllowedIp.parse("fd00::2/128")))));
    String text = config.toString();
    assertThat(text).doesNotContain(TestKeys.WG_PRIVATE, privateKey.revealHex(), TestKeys.WG_PSK, psk.revealHex())
        .contains(TestKeys.WG_PUBLIC, "(secret)");
  }

  @Test
  void badKeyTextIsRejectedWithoutEchoingIt() {
    String almost = TestKeys.WG_PRIVATE.substring(0, 40);
    assertThatThrownBy(() -> WireGuardSecret.fromBase64(almost))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining(almost);
    assertThatThrownBy(() -> WireGuardSecret.fromBase64("not base64 at all!"))
        .hasMessage("a secret key is not valid base64");
    assertThatThrownBy(() -> WireGuardKey.of(new byte[31])).hasMessageContaining("32 bytes");
  }
}
