package io.spanlog.identity;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Node ids (the affiliate id on the wire): 32 random bytes in base62, as Talos makes them. The id
 * is opaque to every reader; only its alphabet and length are checked.
 */
public final class NodeIds {
  private static final String ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final BigInteger BASE = BigInteger.valueOf(62);
  /** 62^43 > 2^256, so 43 digits hold any 32 bytes; ids are left-padded to that fixed length. */
  public static final int LENGTH = 43;

  private static final Pattern VALID = Pattern.compile("[0-9A-Za-z]{1,256}");

  private NodeIds() {}

  public static String generate(SecureRandom random) {
    byte[] raw = new byte[32];
    random.nextBytes(raw);
    return base62(raw);
  }

  static String base62(byte[] raw) {
    BigInteger n = new BigInteger(1, raw);
    char[] out = new char[LENGTH];
    for (int i = LENGTH - 1; i >= 0; i--) {
      BigInteger[] qr = n.divideAndRemainder(BASE);
      out[i] = ALPHABET.charAt(qr[1].intValue());
      n = qr[0];
    }
    return new String(out);
  }

  /** Whether a stored id looks like one of ours or a Talos one (base62, at most 256 bytes). */
  public static boolean isValid(String id) {
    return id != null && VALID.matcher(id).matches();
  }
}
