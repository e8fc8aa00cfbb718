package io.spanlog.agent.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void growsByHalfWithinFiftyPercentJitterUpToOneMinute() {
    var backoff = new Backoff(new SplittableRandom(42));
    double base = 500;
    for (int i = 0; i < 30; i++) {
      long ms = backoff.next().toMillis();
      assertThat(ms).isBetween((long) (base * 0.5) - 1, (long) Math.min(60_000, base * 1.5));
      base = Math.min(60_000, base * 1.5);
    }
    assertThat(backoff.next()).isLessThanOrEqualTo(Duration.ofSeconds(60)).isGreaterThanOrEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void resetStartsOverAtHalfASecond() {
    var backoff = new Backoff(new SplittableRandom(1));
    for (int i = 0; i < 20; i++) {
      backoff.next();
    }
    backoff.reset();
    assertThat(backoff.next().toMillis()).isBetween(250L, 750L);
  }
}
