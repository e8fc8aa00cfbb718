package io.spanlog.agent.api;

import io.spanlog.affiliate.ClusterSecret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a {@code POST /v1/leave} must carry: HMAC-SHA256 under the cluster secret of the cluster id
 * and node id. Anyone who can compute it could delete the affiliate at the discovery service
 * directly anyway (it needs the same secret), so asking a running agent to leave needs no more
 * privilege than {@code agent leave} without one; a local process that only sees the status API
 * cannot make the node leave. The secret itself never goes over the wire.
 */
public final class LeaveProof {
  private static final String CONTEXT = "spanlog agent leave v1";

  private LeaveProof() {}

  public static String of(ClusterSecret secret, String clusterId, String nodeId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.keyBytes(), "HmacSHA256"));
      mac.update((CONTEXT + "\n" + clusterId + "\n" + nodeId).getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(mac.doFinal());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
    }
  }

  /** Constant-time comparison with the expected proof. */
  public static boolean matches(String proof, ClusterSecret secret, String clusterId, String nodeId) {
    return proof != null && MessageDigest.isEqual(of(secret, clusterId, nodeId).getBytes(StandardCharsets.UTF_8),
        proof.getBytes(StandardCharsets.UTF_8));
  }
}
