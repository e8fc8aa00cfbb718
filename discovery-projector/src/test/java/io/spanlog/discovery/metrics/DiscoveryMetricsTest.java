package io.spanlog.discovery.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.discovery.api.WatchResponse;
import org.junit.jupiter.api.Test;

/** The metrics' own rules: Hello version labels, the Watch fan-out timer. */
class DiscoveryMetricsTest {
  @Test
  void helloVersionsAreNormalizedLikeTheReference() {
    assertThat(DiscoveryMetrics.normalizeVersion("v1.8.3")).isEqualTo("v1.8");
    assertThat(DiscoveryMetrics.normalizeVersion("v1.8.0-alpha.1")).isEqualTo("v1.8-pre");
    assertThat(DiscoveryMetrics.normalizeVersion("talos")).isEqualTo("unknown");
    assertThat(DiscoveryMetrics.normalizeVersion("")).isEqualTo("unknown");
  }

  @Test
  void fanOutTimesFeedATimer() {
    DiscoveryMetrics metrics = new DiscoveryMetrics();
    metrics.fanoutListener().delivered(WatchResponse.getDefaultInstance(), 3, 1_000_000, 3_000_000);
    assertThat(metrics.registry().scrape())
        .contains("spanlog_discovery_watch_fanout_seconds_count 1")
        .contains("spanlog_discovery_watch_fanout_seconds_sum 0.002");
  }
}
