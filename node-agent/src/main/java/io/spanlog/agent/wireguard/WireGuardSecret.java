package io.spanlog.agent.wireguard;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.KeyAgreement;

/**
 * A WireGuard private key (with its public key) or preshared key: 32 secret bytes. The one key
 * type of the agent: the identity file stores it, the device is programmed with it.
 *
 * <p>{@link #toString()} never reveals the value, so a secret inside a record, a log line or an
 * exception message stays hidden. The text forms are only for the device programming paths.
 */
public final class WireGuardSecret {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final BigInteger BASE_POINT = BigInteger.valueOf(9);

  private final byte[] raw;
  private volatile WireGuardKey publicKey;

  private WireGuardSecret(byte[] raw) {
    this.raw = raw;
  }

  public static WireGuardSecret of(byte[] raw) {
    return new WireGuardSecret(KeyBytes.checkLength(Objects.requireNonNull(raw, "raw"), "a secret key"));
  }

  public static WireGuardSecret fromBase64(String text) {
    return new WireGuardSecret(KeyBytes.fromBase64(Objects.requireNonNull(text, "text"), "a secret key"));
  }

  static WireGuardSecret fromHex(String text) {
    return new WireGuardSecret(KeyBytes.fromHex(text, "a secret key"));
  }

  /** A new random Curve25519 private key, clamped as {@code wg genkey} does. */
  public static WireGuardSecret generatePrivateKey() {
    return generatePrivateKey(RANDOM);
  }

  /**
   * A new private key from {@code random}, clamped as {@code wg genkey} does, so the stored key is
   * the one every tool agrees on.
   */
  public static WireGuardSecret generatePrivateKey(SecureRandom random) {
    byte[] raw = new byte[KeyBytes.LENGTH];
    random.nextBytes(raw);
    raw[0] &= (byte) 248;
    raw[31] &= 127;
    raw[31] |= 64;
    return new WireGuardSecret(raw);
  }

  /** 32 random bytes, as {@code wg genpsk} makes. */
  public static WireGuardSecret generatePresharedKey() {
    byte[] raw = new byte[KeyBytes.LENGTH];
    RANDOM.nextBytes(raw);
    return new WireGuardSecret(raw);
  }

  /** The public key of this private key (X25519 of the base point). */
  public WireGuardKey publicKey() {
    WireGuardKey known = publicKey;
    if (known == null) {
      known = derivePublicKey();
      publicKey = known;
    }
    return known;
  }

  private WireGuardKey derivePublicKey() {
    try {
      KeyFactory factory = KeyFactory.getInstance("XDH");
      PrivateKey privateKey = factory.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, raw));
      PublicKey basePoint = factory.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, BASE_POINT));
      KeyAgreement agreement = KeyAgreement.getInstance("XDH");
      agreement.init(privateKey);
      agreement.doPhase(basePoint, true);
      return WireGuardKey.of(agreement.generateSecret());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot compute X25519: " + e.getMessage(), e);
    }
  }

  public byte[] bytes() {
    return raw.clone();
  }

  /** For the identity file and {@code wg} config only. */
  public String revealBase64() {
    return Base64.getEncoder().encodeToString(raw);
  }

  /** For the UAPI only. */
  String revealHex() {
    return HexFormat.of().formatHex(raw);
  }

  boolean isZero() {
    return KeyBytes.allZero(raw);
  }

  /** Constant-time, so comparing with the device's key leaks nothing through timing. */
  @Override
  public boolean equals(Object o) {
    return o instanceof WireGuardSecret other && MessageDigest.isEqual(raw, other.raw);
  }

  @Override
  public int hashCode() {
    return 0x5ec7e7;
  }

  @Override
  public String toString() {
    return "(secret)";
  }
}
