package io.spanlog.affiliate;

import com.google.protobuf.InvalidProtocolBufferException;
import io.spanlog.discovery.payload.Affiliate;
import io.spanlog.net.Endpoint;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encryption of discovery payloads exactly as Talos does it (discovery-api.md, section 14): the
 * decoded cluster secret is the AES-256 key, with no KDF.
 *
 * <ul>
 *   <li>affiliate data: AES-256-GCM, {@code nonce(12) ‖ ciphertext ‖ tag(16)}, a fresh random
 *       nonce per encryption, no associated data;
 *   <li>endpoint blobs: AES-256-ECB over {@code len(m) ‖ m ‖ zero padding}, deterministic on
 *       purpose so the server deduplicates the same endpoint reported by several nodes.
 * </ul>
 *
 * <p>Readers return a {@link DecodeResult}; nothing a remote party sends makes them throw.
 * Thread-safe: a JCE cipher is made per call.
 */
public final class AffiliateCrypto {
  static final int NONCE_LENGTH = 12;
  private static final int TAG_LENGTH = 16;
  private static final int BLOCK = 16;

  private final SecretKeySpec key;
  private final SecureRandom random;

  public AffiliateCrypto(ClusterSecret secret) {
    this(secret, new SecureRandom());
  }

  public AffiliateCrypto(ClusterSecret secret, SecureRandom random) {
    this.key = new SecretKeySpec(secret.keyBytes(), "AES");
    this.random = random;
  }

  /** The encrypted {@code data} of an affiliate, as published with AffiliateUpdate. */
  public byte[] encryptAffiliate(DecodedAffiliate affiliate) {
    return sealData(PayloadMessages.toProto(affiliate).toByteArray());
  }

  public DecodeResult<DecodedAffiliate> decryptAffiliate(byte[] data) {
    DecodeResult<byte[]> plain = openData(data);
    if (plain instanceof DecodeResult.Failed<byte[]> failed) {
      return failed.retyped();
    }
    var ok = (DecodeResult.Ok<byte[]>) plain;
    try {
      return PayloadMessages.fromProto(Affiliate.parseFrom(ok.value()));
    } catch (InvalidProtocolBufferException e) {
      return DecodeResult.failed(DecodeProblem.MALFORMED_PROTOBUF, "affiliate payload: " + e.getMessage());
    }
  }

  /** The encrypted blob of one endpoint: 16 bytes for IPv4, 32 for IPv6. */
  public byte[] encryptEndpoint(Endpoint endpoint) {
    return sealBlob(PayloadMessages.toProto(endpoint).toByteArray());
  }

  public DecodeResult<Endpoint> decryptEndpoint(byte[] blob) {
    DecodeResult<byte[]> plain = openBlob(blob);
    if (plain instanceof DecodeResult.Failed<byte[]> failed) {
      return failed.retyped();
    }
    var ok = (DecodeResult.Ok<byte[]>) plain;
    try {
      return PayloadMessages.fromProto(io.spanlog.discovery.payload.Endpoint.parseFrom(ok.value()));
    } catch (InvalidProtocolBufferException e) {
      return DecodeResult.failed(DecodeProblem.MALFORMED_PROTOBUF, "endpoint: " + e.getMessage());
    }
  }

  byte[] sealData(byte[] plaintext) {
    byte[] nonce = new byte[NONCE_LENGTH];
    random.nextBytes(nonce);
    return sealData(plaintext, nonce);
  }

  /** Explicit nonce: only for test vectors; a reused nonce breaks GCM. */
  byte[] sealData(byte[] plaintext, byte[] nonce) {
    try {
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, nonce));
      byte[] sealed = gcm.doFinal(plaintext);
      byte[] out = new byte[NONCE_LENGTH + sealed.length];
      System.arraycopy(nonce, 0, out, 0, NONCE_LENGTH);
      System.arraycopy(sealed, 0, out, NONCE_LENGTH, sealed.length);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable in this JVM", e);
    }
  }

  DecodeResult<byte[]> openData(byte[] data) {
    if (data.length < NONCE_LENGTH + TAG_LENGTH) {
      return DecodeResult.failed(
          DecodeProblem.BAD_LENGTH,
          "affiliate data of " + data.length + " bytes is shorter than nonce and tag (28)");
    }
    try {
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(
          Cipher.DECRYPT_MODE,
          key,
          new GCMParameterSpec(TAG_LENGTH * 8, Arrays.copyOfRange(data, 0, NONCE_LENGTH)));
      return DecodeResult.ok(gcm.doFinal(data, NONCE_LENGTH, data.length - NONCE_LENGTH));
    } catch (AEADBadTagException e) {
      return DecodeResult.failed(
          DecodeProblem.NOT_AUTHENTIC, "GCM tag mismatch (another cluster secret, or altered data)");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable in this JVM", e);
    }
  }

  byte[] sealBlob(byte[] message) {
    if (message.length > 255) {
      throw new IllegalArgumentException("endpoint message of " + message.length + " bytes");
    }
    int padded = (message.length + 1 + BLOCK - 1) / BLOCK * BLOCK;
    byte[] plain = new byte[padded];
    plain[0] = (byte) message.length;
    System.arraycopy(message, 0, plain, 1, message.length);
    try {
      Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
      ecb.init(Cipher.ENCRYPT_MODE, key);
      return ecb.doFinal(plain);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES is unavailable in this JVM", e);
    }
  }

  DecodeResult<byte[]> openBlob(byte[] blob) {
    if (blob.length == 0 || blob.length % BLOCK != 0) {
      return DecodeResult.failed(
          DecodeProblem.BAD_LENGTH, "endpoint blob of " + blob.length + " bytes is not n×16");
    }
    byte[] plain;
    try {
      Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
      ecb.init(Cipher.DECRYPT_MODE, key);
      plain = ecb.doFinal(blob);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES is unavailable in this JVM", e);
    }
    int length = plain[0] & 0xff;
    if (length > blob.length - 1) {
      return DecodeResult.failed(
          DecodeProblem.BAD_LENGTH_BYTE,
          "length byte " + length + " exceeds the " + (blob.length - 1) + " bytes after it");
    }
    return DecodeResult.ok(Arrays.copyOfRange(plain, 1, 1 + length));
  }
}
