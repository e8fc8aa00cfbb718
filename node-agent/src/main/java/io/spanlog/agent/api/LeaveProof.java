package io.spanlog.agent.api;

import io.spanlog.affiliate.ClusterSecret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a {@code POST /v1/leave} must carry: HMAC-SHA256, under a key derived from the cluster
 * secret, of a nonce the agent handed out ({@link LeaveChallenges}), the node id and the cluster
 * id. A proof answers one challenge: the agent accepts each nonce once and only for a short
 * while, so a proof captured by whoever stood in for the agent on its port (while it was down)
 * cannot be replayed to it later. Anyone who can compute a proof could delete the affiliate at the
 * discovery service directly anyway (it needs the same secret), so asking a running agent to
 * leave needs no more privilege than {@code agent leave} without one. The secret never goes over
 * the wire, and the key is its own: a proof says nothing about the keys that seal affiliates.
 */
public final class LeaveProof {
  /** HKDF-Expand's info, and the first line of what is signed: the proof's purpose and version. */
  private static final String CONTEXT = "spanlog agent leave v2";

  private LeaveProof() {}

  public static String of(ClusterSecret secret, String clusterId, String nodeId, String nonce) {
    byte[] mac = hmac(key(secret), CONTEXT + "\n" + nonce + "\n" + nodeId + "\n" + clusterId);
    return Base64.getEncoder().encodeToString(mac);
  }

  /** Constant-time comparison with the expected proof. */
  public static boolean matches(String proof, ClusterSecret secret, String clusterId, String nodeId, String nonce) {
    return proof != null && nonce != null
        && MessageDigest.isEqual(of(secret, clusterId, nodeId, nonce).getBytes(StandardCharsets.UTF_8),
            proof.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * HKDF-Expand (RFC 5869) of the secret for this purpose, one block: the cluster secret is 32
   * uniformly random bytes, so it serves as the pseudorandom key without an extract step.
   */
  private static byte[] key(ClusterSecret secret) {
    return hmac(secret.keyBytes(), CONTEXT + "\u0001");
  }

  private static byte[] hmac(byte[] key, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
    }
  }
}
