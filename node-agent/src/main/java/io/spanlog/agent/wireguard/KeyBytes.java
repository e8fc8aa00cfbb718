package io.spanlog.agent.wireguard;

import java.util.Base64;
import java.util.HexFormat;

/** Decoding shared by the key types: 32 raw bytes, written as base64 (users) or hex (UAPI). */
final class KeyBytes {
  static final int LENGTH = 32;

  private KeyBytes() {}

  /** The message never echoes the text: it may be a secret. */
  static byte[] fromBase64(String text, String what) {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(text.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " is not valid base64");
    }
    return checkLength(raw, what);
  }

  static byte[] fromHex(String text, String what) {
    byte[] raw;
    try {
      raw = HexFormat.of().parseHex(text.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " is not valid hex");
    }
    return checkLength(raw, what);
  }

  static byte[] checkLength(byte[] raw, String what) {
    if (raw.length != LENGTH) {
      throw new IllegalArgumentException(what + " must be 32 bytes, got " + raw.length);
    }
    return raw.clone();
  }

  static boolean allZero(byte[] raw) {
    int acc = 0;
    for (byte b : raw) {
      acc |= b;
    }
    return acc == 0;
  }
}
