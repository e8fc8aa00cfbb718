package io.spanlog.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class WireGuardKeyPairTest {

  @Test
  void derivesThePublicKeyOfRfc7748() {
    // RFC 7748 section 6.1, Alice's key pair
    byte[] priv = HexFormat.of().parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    byte[] pub = HexFormat.of().parseHex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    var keys = WireGuardKeyPair.fromPrivateKey(Base64.getEncoder().encodeToString(priv));
    assertThat(keys.publicKey()).isEqualTo(Base64.getEncoder().encodeToString(pub));
  }

  @Test
  void generatedKeysAreClampedAndRoundTrip() {
    var keys = WireGuardKeyPair.generate(new SecureRandom());
    byte[] raw = Base64.getDecoder().decode(keys.revealPrivateKeyBase64());
    assertThat(raw).hasSize(32);
    assertThat(raw[0] & 7).isZero();
    assertThat(raw[31] & 0xc0).isEqualTo(0x40);
    assertThat(WireGuardKeyPair.fromPrivateKey(keys.revealPrivateKeyBase64()).publicKey()).isEqualTo(keys.publicKey());
  }

  @Test
  void neverPrintsThePrivateKey() {
    var keys = WireGuardKeyPair.generate(new SecureRandom());
    assertThat(keys.toString()).contains(keys.publicKey()).doesNotContain(keys.revealPrivateKeyBase64());
    String bad = Base64.getEncoder().encodeToString(new byte[31]);
    assertThatThrownBy(() -> WireGuardKeyPair.fromPrivateKey(bad)).hasMessageNotContaining(bad).hasMessageContaining("32 bytes");
  }
}
