package io.spanlog.agent.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.affiliate.ClusterSecret;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class LeaveProofTest {
  private static final ClusterSecret SECRET = ClusterSecret.fromBytes(new byte[32]);
  private static final ClusterSecret OTHER = ClusterSecret.fromBytes(filled(7));

  @Test
  void onlyTheSameSecretClusterAndNodeMakeAMatchingProof() {
    String proof = LeaveProof.of(SECRET, "cluster", "node-a");
    assertThat(LeaveProof.matches(proof, SECRET, "cluster", "node-a")).isTrue();
    assertThat(LeaveProof.matches(proof, OTHER, "cluster", "node-a")).as("another secret").isFalse();
    assertThat(LeaveProof.matches(proof, SECRET, "cluster", "node-b")).as("another node").isFalse();
    assertThat(LeaveProof.matches(proof, SECRET, "other", "node-a")).as("another cluster").isFalse();
    assertThat(LeaveProof.matches(null, SECRET, "cluster", "node-a")).isFalse();
    assertThat(LeaveProof.matches("", SECRET, "cluster", "node-a")).isFalse();
  }

  @Test
  void theProofIsAnHmacNotTheSecret() {
    String proof = LeaveProof.of(OTHER, "cluster", "node-a");
    assertThat(Base64.getDecoder().decode(proof)).hasSize(32);
    assertThat(proof).isNotEqualTo(OTHER.revealBase64());
    assertThat(LeaveProof.of(OTHER, "cluster", "node-a")).isEqualTo(proof);
  }

  private static byte[] filled(int value) {
    byte[] b = new byte[32];
    java.util.Arrays.fill(b, (byte) value);
    return b;
  }
}
