package io.spanlog.discovery.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.discovery.api.WatchResponse;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
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
  void helloVersionsFallIntoAFixedSet() {
    assertThat(DiscoveryMetrics.normalizeVersion("v1.0.0")).isEqualTo("v1.0");
    assertThat(DiscoveryMetrics.normalizeVersion("v1.12.1")).isEqualTo("v1.12");
    assertThat(DiscoveryMetrics.normalizeVersion("v1.15.0-beta.0")).isEqualTo("v1.15-pre");
    assertThat(DiscoveryMetrics.normalizeVersion("v1.16.0")).isEqualTo("other");
    assertThat(DiscoveryMetrics.normalizeVersion("v1.999999999999.0")).isEqualTo("other");
    assertThat(DiscoveryMetrics.normalizeVersion("v2.0.0")).isEqualTo("other");
    assertThat(DiscoveryMetrics.normalizeVersion("v0.14.3")).isEqualTo("other");
    assertThat(DiscoveryMetrics.normalizeVersion("spanlog-0.1.0")).isEqualTo("spanlog");
    assertThat(DiscoveryMetrics.normalizeVersion(null)).isEqualTo("unknown");
  }

  @Test
  void tenThousandRandomVersionsMakeAtMostTheFixedLabels() {
    Random rnd = new Random(14);
    Set<String> labels = new HashSet<>();
    DiscoveryMetrics metrics = new DiscoveryMetrics();
    for (int i = 0; i < 10_000; i++) {
      String version = switch (rnd.nextInt(4)) {
        case 0 -> "v" + rnd.nextInt(5) + "." + rnd.nextInt(100_000) + "." + rnd.nextInt(100);
        case 1 -> "v1." + rnd.nextInt(40) + "." + rnd.nextInt(10) + (rnd.nextBoolean() ? "-alpha." + rnd.nextInt(1_000) : "");
        case 2 -> "spanlog-" + rnd.nextInt(1_000);
        default -> Long.toHexString(rnd.nextLong());
      };
      labels.add(DiscoveryMetrics.normalizeVersion(version));
      metrics.hello(version);
    }
    int k = 2 * (DiscoveryMetrics.NEWEST_TALOS_MINOR + 1) + 3;
    assertThat(DiscoveryMetrics.versionLabels()).hasSize(k);
    assertThat(labels).hasSizeLessThanOrEqualTo(k).isSubsetOf(DiscoveryMetrics.versionLabels());
    long series = metrics.registry().scrape().lines().filter(l -> l.startsWith("discovery_server_hello_requests_total{")).count();
    assertThat(series).isLessThanOrEqualTo(k);
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
