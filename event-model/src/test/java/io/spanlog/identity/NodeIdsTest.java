package io.spanlog.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HashSet;
import org.junit.jupiter.api.Test;

class NodeIdsTest {

  @Test
  void idsAreFixedLengthBase62AndDistinct() {
    var random = new SecureRandom();
    var seen = new HashSet<String>();
    for (int i = 0; i < 200; i++) {
      String id = NodeIds.generate(random);
      assertThat(id).hasSize(NodeIds.LENGTH).matches("[0-9A-Za-z]+");
      assertThat(NodeIds.isValid(id)).isTrue();
      seen.add(id);
    }
    assertThat(seen).hasSize(200);
  }

  @Test
  void encodesTheExtremes() {
    assertThat(NodeIds.base62(new byte[32])).isEqualTo("0".repeat(43));
    byte[] max = new byte[32];
    java.util.Arrays.fill(max, (byte) 0xff);
    // 2^256-1 in base62 starts with 'M' at 43 digits; any overflow would lose the top digit
    assertThat(NodeIds.base62(max)).hasSize(43).doesNotStartWith("0");
    assertThat(NodeIds.base62(new byte[] {0, 0, 0, 61})).endsWith("0z");
  }

  @Test
  void talosIdsAreAcceptedAndJunkIsNot() {
    assertThat(NodeIds.isValid("7x1SuC8Ege5BGXdAfTEff5iQnlWZLfv9h1LGMxA2pYkC")).isTrue();
    assertThat(NodeIds.isValid("../etc")).isFalse();
    assertThat(NodeIds.isValid("")).isFalse();
  }
}
