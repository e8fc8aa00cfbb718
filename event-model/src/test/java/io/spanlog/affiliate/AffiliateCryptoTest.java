package io.spanlog.affiliate;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.net.Endpoint;
import io.spanlog.net.IpPrefix;
import io.spanlog.net.IpText;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The vectors of discovery-api.md, section 14.3, and the reader's defences. */
class AffiliateCryptoTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] KEY =
      HEX.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  private final AffiliateCrypto crypto = new AffiliateCrypto(ClusterSecret.fromBytes(KEY));

  private static DecodedAffiliate vectorAffiliate() {
    return new DecodedAffiliate(
        "n1", List.of(IpText.parse("192.168.3.4")), "h1", "", "", "", Optional.empty());
  }

  @Test
  void ipv4EndpointVector() {
    Endpoint e = Endpoint.parse("10.0.0.2:51820");
    assertThat(HEX.formatHex(PayloadMessages.toProto(e).toByteArray())).isEqualTo("0a040a00000210ec9403");
    byte[] blob = crypto.encryptEndpoint(e);
    assertThat(HEX.formatHex(blob)).isEqualTo("45c55198f8ad5b07dd423e192f7e13e8");
    assertThat(crypto.decryptEndpoint(blob)).isEqualTo(DecodeResult.ok(e));
  }

  @Test
  void ipv4EndpointPaddedPlaintextVector() throws Exception {
    javax.crypto.Cipher ecb = javax.crypto.Cipher.getInstance("AES/ECB/NoPadding");
    ecb.init(javax.crypto.Cipher.DECRYPT_MODE, new javax.crypto.spec.SecretKeySpec(KEY, "AES"));
    assertThat(HEX.formatHex(ecb.doFinal(HEX.parseHex("45c55198f8ad5b07dd423e192f7e13e8"))))
        .isEqualTo("0a0a040a00000210ec94030000000000");
  }

  @Test
  void ipv6EndpointVector() {
    Endpoint e = Endpoint.parse("[fd00::1]:51820");
    assertThat(HEX.formatHex(PayloadMessages.toProto(e).toByteArray()))
        .isEqualTo("0a10fd00000000000000000000000000000110ec9403");
    byte[] blob = crypto.encryptEndpoint(e);
    assertThat(HEX.formatHex(blob))
        .isEqualTo("18d8f361863095b08c52b5c6de56a3c9d604c19a74d2f45c1e624c2d38c4cca0");
    assertThat(crypto.decryptEndpoint(blob)).isEqualTo(DecodeResult.ok(e));
  }

  @Test
  void affiliateVectorWithFixedNonce() {
    byte[] plaintext = PayloadMessages.toProto(vectorAffiliate()).toByteArray();
    assertThat(HEX.formatHex(plaintext)).isEqualTo("0a026e311204c0a803041a026831");
    byte[] data = crypto.sealData(plaintext, HEX.parseHex("000102030405060708090a0b"));
    assertThat(HEX.formatHex(data))
        .isEqualTo(
            "000102030405060708090a0b4d00b82ad7e102b38e458d89d9d8786b52871b0fed71dc3398c27b327722");
    assertThat(crypto.decryptAffiliate(data)).isEqualTo(DecodeResult.ok(vectorAffiliate()));
  }

  @Test
  void randomNoncesMakeEachEncryptionDifferentButReadable() {
    byte[] a = crypto.encryptAffiliate(vectorAffiliate());
    byte[] b = crypto.encryptAffiliate(vectorAffiliate());
    assertThat(a).isNotEqualTo(b).hasSize(14 + 28);
    assertThat(crypto.decryptAffiliate(b).asOptional()).contains(vectorAffiliate());
  }

  @Test
  void kubeSpanRecordRoundTrips() {
    var affiliate =
        new DecodedAffiliate(
            "node-a",
            List.of(IpText.parse("10.5.0.2"), IpText.parse("2001:db8::2")),
            "a.example",
            "a",
            "worker",
            "Spanlog",
            Optional.of(
                new KubeSpanInfo(
                    "pubkey=",
                    IpText.parse("fd7f:175a:b97c:5602:2c1a:b6ff:fe53:8169"),
                    List.of(IpPrefix.parse("10.244.1.0/24")),
                    List.of(IpPrefix.parse("192.168.0.0/16")))));
    assertThat(crypto.decryptAffiliate(crypto.encryptAffiliate(affiliate)).asOptional())
        .contains(affiliate);
  }

  @Test
  void anotherSecretIsATypedFailureNotAnException() {
    byte[] other = KEY.clone();
    other[0] ^= 1;
    byte[] data = new AffiliateCrypto(ClusterSecret.fromBytes(other)).encryptAffiliate(vectorAffiliate());
    assertThat(crypto.decryptAffiliate(data))
        .isInstanceOfSatisfying(
            DecodeResult.Failed.class, f -> assertThat(f.problem()).isEqualTo(DecodeProblem.NOT_AUTHENTIC));
    assertThat(problem(crypto.decryptAffiliate(new byte[27]))).isEqualTo(DecodeProblem.BAD_LENGTH);
  }

  @Test
  void authenticGarbageIsAMalformedProtobuf() {
    byte[] data = crypto.sealData(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}, new byte[12]);
    assertThat(problem(crypto.decryptAffiliate(data))).isEqualTo(DecodeProblem.MALFORMED_PROTOBUF);
  }

  @Test
  void endpointReaderRejectsBadLengthsAndALengthBytePastTheBlob() {
    assertThat(problem(crypto.decryptEndpoint(new byte[15]))).isEqualTo(DecodeProblem.BAD_LENGTH);
    assertThat(problem(crypto.decryptEndpoint(new byte[0]))).isEqualTo(DecodeProblem.BAD_LENGTH);
    // a 16-byte blob whose decrypted first byte is 16: one more than the 15 bytes after it
    byte[] lie = new byte[16];
    lie[0] = 16;
    assertThat(problem(crypto.decryptEndpoint(encryptRaw(lie)))).isEqualTo(DecodeProblem.BAD_LENGTH_BYTE);
    lie[0] = 15; // exactly fits: reading succeeds or fails as protobuf, never out of bounds
    assertThat(crypto.decryptEndpoint(encryptRaw(lie)).isOk()).isFalse();
  }

  @Test
  void endpointWithAWrongSizedIpIsABadValue() {
    byte[] blob = crypto.sealBlob(new byte[] {0x0a, 0x03, 1, 2, 3, 0x10, 0x01});
    assertThat(problem(crypto.decryptEndpoint(blob))).isEqualTo(DecodeProblem.BAD_VALUE);
  }

  private byte[] encryptRaw(byte[] plain) {
    try {
      javax.crypto.Cipher ecb = javax.crypto.Cipher.getInstance("AES/ECB/NoPadding");
      ecb.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(KEY, "AES"));
      return ecb.doFinal(plain);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static DecodeProblem problem(DecodeResult<?> r) {
    assertThat(r).isInstanceOf(DecodeResult.Failed.class);
    return ((DecodeResult.Failed<?>) r).problem();
  }
}
