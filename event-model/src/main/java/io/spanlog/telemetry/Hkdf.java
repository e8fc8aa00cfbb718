package io.spanlog.telemetry;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF with HMAC-SHA256 (RFC 5869), on the JDK's {@code HmacSHA256}: extract, then expand. A
 * dozen lines here rather than Bouncy Castle's {@code HKDFBytesGenerator}, so event-model keeps no
 * dependency beyond Jackson and protobuf; {@code HkdfTest} checks it against the RFC's vectors.
 */
public final class Hkdf {
  private static final int HASH_LENGTH = 32;

  private Hkdf() {}

  /**
   * {@code length} bytes of output keying material.
   *
   * @param salt empty = a string of 32 zero bytes, as the RFC says
   */
  public static byte[] sha256(byte[] ikm, byte[] salt, byte[] info, int length) {
    if (length < 1 || length > 255 * HASH_LENGTH) {
      throw new IllegalArgumentException("HKDF-SHA256 output must be 1.." + 255 * HASH_LENGTH + " bytes");
    }
    try {
      Mac extract = Mac.getInstance("HmacSHA256");
      extract.init(new SecretKeySpec(salt.length == 0 ? new byte[HASH_LENGTH] : salt, "HmacSHA256"));
      byte[] prk = extract.doFinal(ikm);
      Mac expand = Mac.getInstance("HmacSHA256");
      expand.init(new SecretKeySpec(prk, "HmacSHA256"));
      byte[] out = new byte[length];
      byte[] block = new byte[0];
      for (int i = 1, done = 0; done < length; i++) {
        expand.update(block);
        expand.update(info);
        expand.update((byte) i);
        block = expand.doFinal();
        int n = Math.min(block.length, length - done);
        System.arraycopy(block, 0, out, done, n);
        done += n;
      }
      return out;
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 refused its key", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is unavailable in this JVM", e);
    }
  }
}
