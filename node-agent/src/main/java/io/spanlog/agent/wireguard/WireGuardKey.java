package io.spanlog.agent.wireguard;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/** A WireGuard public key: 32 bytes, shown as standard base64 as {@code wg} shows it. */
public final class WireGuardKey implements Comparable<WireGuardKey> {
  private final byte[] raw;
  private final String base64;

  private WireGuardKey(byte[] raw) {
    this.raw = raw;
    this.base64 = Base64.getEncoder().encodeToString(raw);
  }

  public static WireGuardKey of(byte[] raw) {
    return new WireGuardKey(KeyBytes.checkLength(Objects.requireNonNull(raw, "raw"), "a public key"));
  }

  public static WireGuardKey fromBase64(String text) {
    return new WireGuardKey(KeyBytes.fromBase64(Objects.requireNonNull(text, "text"), "a public key"));
  }

  static WireGuardKey fromHex(String text) {
    return new WireGuardKey(KeyBytes.fromHex(text, "a public key"));
  }

  public byte[] bytes() {
    return raw.clone();
  }

  public String base64() {
    return base64;
  }

  /** The UAPI form. */
  String hex() {
    return HexFormat.of().formatHex(raw);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WireGuardKey other && Arrays.equals(raw, other.raw);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(raw);
  }

  @Override
  public int compareTo(WireGuardKey other) {
    return base64.compareTo(other.base64);
  }

  @Override
  public String toString() {
    return base64;
  }
}
