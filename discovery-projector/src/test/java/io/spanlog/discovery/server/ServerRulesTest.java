package io.spanlog.discovery.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The server's stateless rules: Hello version labels for metrics, flag durations. */
class ServerRulesTest {
  @Test
  void helloVersionsAreNormalizedLikeTheReference() {
    assertThat(DiscoveryMetrics.normalizeVersion("v1.8.3")).isEqualTo("v1.8");
    assertThat(DiscoveryMetrics.normalizeVersion("v1.8.0-alpha.1")).isEqualTo("v1.8-pre");
    assertThat(DiscoveryMetrics.normalizeVersion("talos")).isEqualTo("unknown");
    assertThat(DiscoveryMetrics.normalizeVersion("")).isEqualTo("unknown");
  }

  @Test
  void flagDurations() {
    assertThat(GoDurations.parse("1m")).isEqualTo(Duration.ofMinutes(1));
    assertThat(GoDurations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(GoDurations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThatThrownBy(() -> GoDurations.parse("soon")).hasMessageContaining("not a duration");
  }
}
