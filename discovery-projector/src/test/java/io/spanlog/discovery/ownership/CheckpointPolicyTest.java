package io.spanlog.discovery.ownership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CheckpointPolicyTest {
  final CheckpointPolicy policy = new CheckpointPolicy(100, Duration.ofHours(1));

  @Test
  void dueAfterEnoughEventsOrEnoughTimeWithSomeEvents() {
    assertThat(policy.due(100, 0, Duration.ZERO)).isTrue();
    assertThat(policy.due(99, 0, Duration.ofMinutes(59))).isFalse();
    assertThat(policy.due(1, 0, Duration.ofHours(1))).isTrue();
  }

  @Test
  void neverDueWhenThePartitionDidNotMove() {
    assertThat(policy.due(50, 50, Duration.ofDays(3))).isFalse();
    assertThat(CheckpointPolicy.EVERY_SNAPSHOT.due(51, 50, Duration.ZERO)).isTrue();
  }

  @Test
  void aPolicyNeedsAtLeastOneEvent() {
    assertThatThrownBy(() -> new CheckpointPolicy(0, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
  }
}
