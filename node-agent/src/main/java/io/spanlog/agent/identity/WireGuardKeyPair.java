package io.spanlog.agent.identity;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * A WireGuard (X25519) key pair, keys as standard base64 of the raw 32 bytes. The private key
 * stays on the node: {@link #toString()} shows the public key only.
 */
public final class WireGuardKeyPair {
  private static final int KEY_LENGTH = 32;

  private final byte[] privateKey;
  private final String publicKey;

  private WireGuardKeyPair(byte[] privateKey) {
    this.privateKey = privateKey;
    byte[] pub = new byte[KEY_LENGTH];
    X25519.scalarMultBase(privateKey, 0, pub, 0);
    this.publicKey = Base64.getEncoder().encodeToString(pub);
  }

  public static WireGuardKeyPair generate(SecureRandom random) {
    byte[] key = new byte[KEY_LENGTH];
    random.nextBytes(key);
    // clamp as `wg genkey` does, so the stored key is the one every tool agrees on
    key[0] &= (byte) 0xf8;
    key[31] &= 0x7f;
    key[31] |= 0x40;
    return new WireGuardKeyPair(key);
  }

  /**
   * @throws IllegalArgumentException when the text is not base64 of 32 bytes (without quoting it)
   */
  public static WireGuardKeyPair fromPrivateKey(String base64) {
    byte[] key;
    try {
      key = Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("private key is not valid standard base64");
    }
    if (key.length != KEY_LENGTH) {
      throw new IllegalArgumentException("private key must decode to 32 bytes, not " + key.length);
    }
    return new WireGuardKeyPair(key);
  }

  public String publicKey() {
    return publicKey;
  }

  /** The private key in WireGuard's text form, for the device and the identity file only. */
  public String revealPrivateKeyBase64() {
    return Base64.getEncoder().encodeToString(privateKey);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WireGuardKeyPair k && MessageDigest.isEqual(privateKey, k.privateKey);
  }

  @Override
  public int hashCode() {
    return publicKey.hashCode();
  }

  @Override
  public String toString() {
    return "WireGuardKeyPair[publicKey=" + publicKey + ", privateKey=redacted]";
  }
}
