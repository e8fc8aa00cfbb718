package io.spanlog.agent.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.affiliate.ClusterSecret;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class LeaveProofTest {
  private static final ClusterSecret SECRET = ClusterSecret.fromBytes(new byte[32]);
  private static final ClusterSecret OTHER = ClusterSecret.fromBytes(filled(7));
  private static final String NONCE = Base64.getEncoder().encodeToString(filled(1));

  @Test
  void onlyTheSameSecretClusterNodeAndNonceMakeAMatchingProof() {
    String proof = LeaveProof.of(SECRET, "cluster", "node-a", NONCE);
    assertThat(LeaveProof.matches(proof, SECRET, "cluster", "node-a", NONCE)).isTrue();
    assertThat(LeaveProof.matches(proof, OTHER, "cluster", "node-a", NONCE)).as("another secret").isFalse();
    assertThat(LeaveProof.matches(proof, SECRET, "cluster", "node-b", NONCE)).as("another node").isFalse();
    assertThat(LeaveProof.matches(proof, SECRET, "other", "node-a", NONCE)).as("another cluster").isFalse();
    assertThat(LeaveProof.matches(proof, SECRET, "cluster", "node-a", Base64.getEncoder().encodeToString(filled(2))))
        .as("another nonce").isFalse();
    assertThat(LeaveProof.matches(proof, SECRET, "cluster", "node-a", null)).as("no nonce").isFalse();
    assertThat(LeaveProof.matches(null, SECRET, "cluster", "node-a", NONCE)).isFalse();
    assertThat(LeaveProof.matches("", SECRET, "cluster", "node-a", NONCE)).isFalse();
  }

  @Test
  void theProofIsAnHmacUnderADerivedKeyNotTheSecretNorAnHmacUnderIt() throws Exception {
    String proof = LeaveProof.of(OTHER, "cluster", "node-a", NONCE);
    assertThat(Base64.getDecoder().decode(proof)).hasSize(32);
    assertThat(proof).isNotEqualTo(OTHER.revealBase64());
    assertThat(LeaveProof.of(OTHER, "cluster", "node-a", NONCE)).isEqualTo(proof);
    javax.crypto.Mac underTheSecret = javax.crypto.Mac.getInstance("HmacSHA256");
    underTheSecret.init(new javax.crypto.spec.SecretKeySpec(OTHER.keyBytes(), "HmacSHA256"));
    String direct = Base64.getEncoder().encodeToString(underTheSecret.doFinal(
        ("spanlog agent leave v2\n" + NONCE + "\nnode-a\ncluster").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(proof).as("keyed with a key derived for leaves, not the raw secret").isNotEqualTo(direct);
  }

  private static byte[] filled(int value) {
    byte[] b = new byte[32];
    java.util.Arrays.fill(b, (byte) value);
    return b;
  }
}
