package io.spanlog.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.topics.TopicSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicDriftTest {
  private static final TopicSpec SPEC =
      new TopicSpec(
          "t", 6, Map.of("cleanup.policy", "compact", "retention.ms", "1000"), "key", "purpose");

  @Test
  void aMatchingTopicHasNoDrift() {
    assertThat(
            TopicInstaller.TopicDrift.lines(
                SPEC, 6, Map.of("cleanup.policy", "compact", "retention.ms", "1000", "x", "y")))
        .isEmpty();
  }

  @Test
  void eachDifferenceIsOneLine() {
    assertThat(TopicInstaller.TopicDrift.lines(SPEC, 3, Map.of("cleanup.policy", "delete")))
        .containsExactly(
            "t: has 3 partitions, the catalogue says 6",
            "t: cleanup.policy is delete, the catalogue says compact",
            "t: retention.ms is unset, the catalogue says 1000");
  }
}
