package io.spanlog.affiliate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class ClusterSecretTest {
  private static final String B64 = Base64.getEncoder().encodeToString(new byte[32]).replace('A', 'Q');

  @Test
  void neverShowsItselfInTextOrErrors() {
    ClusterSecret s = ClusterSecret.fromBase64(B64);
    assertThat(s.toString()).doesNotContain(B64).contains("redacted");
    String shortOne = Base64.getEncoder().encodeToString(new byte[]{1, 2, 3, 4, 5, 6, 7, 8, 9});
    assertThatThrownBy(() -> ClusterSecret.fromBase64(shortOne))
        .hasMessageContaining("32 bytes")
        .hasMessageNotContaining(shortOne);
    assertThatThrownBy(() -> ClusterSecret.fromBase64("not*base64"))
        .hasMessageContaining("base64")
        .hasMessageNotContaining("not*base64");
  }

  @Test
  void roundTripsItsConfigurationForm() {
    assertThat(ClusterSecret.fromBase64(B64).revealBase64()).isEqualTo(B64);
    assertThat(ClusterSecret.fromBase64(B64)).isEqualTo(ClusterSecret.fromBase64(B64));
  }
}
