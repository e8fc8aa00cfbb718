package io.spanlog.affiliate;

import java.security.MessageDigest;
import java.util.Base64;
import java.util.Objects;

/**
 * The cluster secret: 32 bytes, written as standard base64. It is the AES-256 key of every
 * discovery payload and the WireGuard preshared key of every peer, and it must never be printed:
 * {@link #toString()} and every error message here leave it out.
 */
public final class ClusterSecret {
  public static final int LENGTH = 32;

  private final byte[] key;

  private ClusterSecret(byte[] key) {
    this.key = key;
  }

  /**
   * Decodes a secret as Talos writes it (standard base64 of 32 bytes).
   *
   * @throws IllegalArgumentException naming what is wrong, never quoting the value
   */
  public static ClusterSecret fromBase64(String base64) {
    Objects.requireNonNull(base64, "cluster secret");
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cluster secret is not valid standard base64");
    }
    if (raw.length != LENGTH) {
      throw new IllegalArgumentException(
          "cluster secret must decode to " + LENGTH + " bytes, not " + raw.length);
    }
    return new ClusterSecret(raw);
  }

  public static ClusterSecret fromBytes(byte[] raw) {
    if (raw.length != LENGTH) {
      throw new IllegalArgumentException(
          "cluster secret must be " + LENGTH + " bytes, not " + raw.length);
    }
    return new ClusterSecret(raw.clone());
  }

  /** A copy of the raw key, for the ciphers and the WireGuard preshared key. */
  public byte[] keyBytes() {
    return key.clone();
  }

  /**
   * The secret in its configuration form. Named so that every caller that writes it somewhere
   * (a config file, a WireGuard device) says so explicitly.
   */
  public String revealBase64() {
    return Base64.getEncoder().encodeToString(key);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClusterSecret s && MessageDigest.isEqual(key, s.key);
  }

  @Override
  public int hashCode() {
    return 0x5ec7e7; // constant: a hash would leak bits of the key into logs of hash tables
  }

  @Override
  public String toString() {
    return "ClusterSecret[redacted]";
  }
}
