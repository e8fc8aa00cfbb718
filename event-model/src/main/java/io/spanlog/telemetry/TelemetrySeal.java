package io.spanlog.telemetry;

import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.events.Blob;
import io.spanlog.events.EventCodec;
import io.spanlog.events.EventDecodingException;
import io.spanlog.events.EventType;
import io.spanlog.events.HandshakeSampleBatch;
import io.spanlog.events.SealedSampleBatch;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Sealing of handshake-sample batches with the cluster secret, so that the discovery service
 * stores them opaque and nobody without the secret can pass a forged batch off as a node's.
 *
 * <p><b>Key.</b> AES-256-GCM under {@code HKDF-SHA256(ikm = cluster secret, salt = none, info =
 * "spanlog telemetry v1", 32 bytes)}: never the secret itself, which is the affiliate key (Talos's
 * AES key) and the WireGuard preshared key. The salt is empty (RFC 5869: 32 zero bytes) because
 * the input is already 32 uniformly random bytes, which extraction needs no salt for; the
 * Spanlog-specific {@code info} is what separates this key from every other use of the secret,
 * and the cluster id is bound per batch as associated data instead.
 *
 * <p><b>Sealed bytes.</b> {@code version(1) = 1 ‖ key id(8) ‖ nonce(12) ‖ ciphertext ‖ tag(16)}.
 * The ciphertext is the {@code handshake.sample-batch} payload JSON (the event codec's, so the
 * schema is defined once). The nonce is random per batch. The key id is {@code HKDF-SHA256(secret,
 * info = "spanlog telemetry v1 key id", 8 bytes)}: a reader holding a secret tells "sealed under
 * another secret" from "altered" with it, which GCM alone cannot; it reveals nothing of the key.
 *
 * <p><b>Associated data.</b> What stays readable is bound in: {@code "spanlog telemetry v1" ‖ 0 ‖
 * len ‖ cluster id ‖ schema ‖ len ‖ node public key ‖ version ‖ key id} (lengths and schema as
 * 4-byte big-endian, strings UTF-8). A batch moved to another cluster id or node key, or given
 * another schema, no longer opens.
 *
 * <p>Thread-safe: a JCE cipher is made per seal, and kept per thread for opening (a replay opens
 * one batch per node every 30 s of history, and looking the cipher up cost a tenth of an opening).
 */
public final class TelemetrySeal {
  public static final String KEY_INFO = "spanlog telemetry v1";
  static final String KEY_ID_INFO = "spanlog telemetry v1 key id";
  public static final int VERSION = 1;
  static final int KEY_ID_LENGTH = 8;
  static final int NONCE_LENGTH = 12;
  static final int TAG_LENGTH = 16;
  static final int HEADER_LENGTH = 1 + KEY_ID_LENGTH;
  /** The smallest sealed batch: header, nonce and tag around nothing. */
  public static final int MIN_SEALED_BYTES = HEADER_LENGTH + NONCE_LENGTH + TAG_LENGTH;
  /**
   * The largest sealed batch accepted: room for a 1,024-peer batch (the discovery limit) with long
   * rule texts, while the event, base64 in JSON, stays under Kafka's default 1 MB record limit.
   */
  public static final int MAX_SEALED_BYTES = 640 * 1024;
  private static final EventType BATCH = EventType.HANDSHAKE_SAMPLE_BATCH;
  private static final int WIREGUARD_KEY_BYTES = 32;

  /** Decryption only: GCM refuses a re-init with the same key and nonce for encryption, not for this. */
  private static final ThreadLocal<Cipher> OPENING_CIPHER = ThreadLocal.withInitial(() -> {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable in this JVM", e);
    }
  });

  private final SecretKeySpec key;
  private final byte[] keyId;
  private final SecureRandom random;

  public TelemetrySeal(ClusterSecret secret) {
    this(secret, new SecureRandom());
  }

  public TelemetrySeal(ClusterSecret secret, SecureRandom random) {
    byte[] ikm = secret.keyBytes();
    try {
      this.key = new SecretKeySpec(derive(ikm, KEY_INFO, 32), "AES");
      this.keyId = derive(ikm, KEY_ID_INFO, KEY_ID_LENGTH);
    } finally {
      Arrays.fill(ikm, (byte) 0);
    }
    this.random = random;
  }

  private static byte[] derive(byte[] ikm, String info, int length) {
    return Hkdf.sha256(ikm, new byte[0], info.getBytes(StandardCharsets.UTF_8), length);
  }

  /** The batch sealed for its cluster, with a fresh random nonce. */
  public SealedSampleBatch seal(String clusterId, HandshakeSampleBatch batch) {
    byte[] nonce = new byte[NONCE_LENGTH];
    random.nextBytes(nonce);
    return seal(clusterId, batch, nonce);
  }

  /** Explicit nonce: only for test vectors; a reused nonce breaks GCM. */
  SealedSampleBatch seal(String clusterId, HandshakeSampleBatch batch, byte[] nonce) {
    byte[] header = header();
    byte[] ad = associatedData(clusterId, BATCH.schema(), batch.publicKey(), header);
    try {
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, nonce));
      gcm.updateAAD(ad);
      byte[] sealed = gcm.doFinal(EventCodec.encodePayload(batch));
      byte[] out = ByteBuffer.allocate(HEADER_LENGTH + NONCE_LENGTH + sealed.length)
          .put(header).put(nonce).put(sealed).array();
      return new SealedSampleBatch(batch.publicKey(), BATCH.schema(), Blob.of(out));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable in this JVM", e);
    }
  }

  /** Opens a batch sealed for {@code clusterId} under this secret, or says why it does not open. */
  public Opening open(String clusterId, SealedSampleBatch sealed) {
    Optional<Opening.Refused> framing = framingProblem(sealed);
    if (framing.isPresent()) {
      return framing.get();
    }
    byte[] data = sealed.sealed().toByteArray();
    byte[] header = Arrays.copyOfRange(data, 0, HEADER_LENGTH);
    if (!MessageDigest.isEqual(Arrays.copyOfRange(header, 1, HEADER_LENGTH), keyId)) {
      return new Opening.Refused(SealProblem.NOT_SEALED_FOR_CLUSTER,
          "sealed under another cluster secret than the one registered for cluster " + clusterId);
    }
    byte[] plain;
    try {
      Cipher gcm = OPENING_CIPHER.get();
      gcm.init(Cipher.DECRYPT_MODE, key,
          new GCMParameterSpec(TAG_LENGTH * 8, Arrays.copyOfRange(data, HEADER_LENGTH, HEADER_LENGTH + NONCE_LENGTH)));
      gcm.updateAAD(associatedData(clusterId, sealed.schema(), sealed.nodePublicKey(), header));
      plain = gcm.doFinal(data, HEADER_LENGTH + NONCE_LENGTH, data.length - HEADER_LENGTH - NONCE_LENGTH);
    } catch (AEADBadTagException e) {
      return new Opening.Refused(SealProblem.TAMPERED, "GCM tag mismatch under cluster " + clusterId
          + "'s key: the bytes were altered or cut, or the batch was moved from another cluster id or node key");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable in this JVM", e);
    }
    HandshakeSampleBatch batch;
    try {
      batch = EventCodec.decodePayload(BATCH, sealed.schema(), plain);
    } catch (EventDecodingException e) {
      // not e.getMessage(): it may quote the batch's content
      return new Opening.Refused(SealProblem.MALFORMED_BATCH, "the sealed batch opens but is not a valid "
          + BATCH.wireName() + " (schema " + sealed.schema() + "): " + e.problem());
    }
    if (!batch.publicKey().equals(sealed.nodePublicKey())) {
      return new Opening.Refused(SealProblem.NODE_KEY_MISMATCH,
          "the batch inside names another node key than its clear header (" + sealed.nodePublicKey() + ")");
    }
    return new Opening.Opened(batch);
  }

  /**
   * What anyone can check without the secret (the discovery service does): size, sealing
   * version, payload schema, and that the node key is a WireGuard public key.
   */
  public static Optional<Opening.Refused> framingProblem(SealedSampleBatch sealed) {
    int size = sealed.sealed().size();
    if (size < MIN_SEALED_BYTES) {
      return refused(SealProblem.TRUNCATED, "sealed batch of " + size + " bytes is shorter than its header, nonce and tag ("
          + MIN_SEALED_BYTES + " bytes)");
    }
    if (size > MAX_SEALED_BYTES) {
      return refused(SealProblem.OVERSIZE, "sealed batch of " + size + " bytes is larger than the " + MAX_SEALED_BYTES
          + " bytes accepted");
    }
    int version = sealed.sealed().byteAt(0) & 0xff;
    if (version != VERSION) {
      return refused(SealProblem.UNKNOWN_VERSION, "sealing version " + version + " is not one this build reads (version "
          + VERSION + ")");
    }
    if (sealed.schema() != BATCH.schema()) {
      return refused(SealProblem.UNKNOWN_SCHEMA, "schema " + Integer.toUnsignedString(sealed.schema())
          + " is not supported: this build reads " + BATCH.wireName() + " schema " + BATCH.schema());
    }
    if (!isWireGuardKey(sealed.nodePublicKey())) {
      return refused(SealProblem.BAD_NODE_KEY, "the node public key is not a WireGuard key (base64 of 32 bytes)");
    }
    return Optional.empty();
  }

  private static Optional<Opening.Refused> refused(SealProblem problem, String reason) {
    return Optional.of(new Opening.Refused(problem, reason));
  }

  static boolean isWireGuardKey(String text) {
    try {
      return Base64.getDecoder().decode(text).length == WIREGUARD_KEY_BYTES;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private byte[] header() {
    byte[] h = new byte[HEADER_LENGTH];
    h[0] = (byte) VERSION;
    System.arraycopy(keyId, 0, h, 1, KEY_ID_LENGTH);
    return h;
  }

  static byte[] associatedData(String clusterId, int schema, String nodePublicKey, byte[] header) {
    byte[] label = KEY_INFO.getBytes(StandardCharsets.UTF_8);
    byte[] cluster = clusterId.getBytes(StandardCharsets.UTF_8);
    byte[] node = nodePublicKey.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(label.length + 1 + 4 + cluster.length + 4 + 4 + node.length + header.length)
        .put(label).put((byte) 0)
        .putInt(cluster.length).put(cluster)
        .putInt(schema)
        .putInt(node.length).put(node)
        .put(header)
        .array();
  }
}
