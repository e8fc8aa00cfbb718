package io.spanlog.observer.service;

import static io.spanlog.observer.Fleet.A;
import static io.spanlog.observer.Fleet.B;
import static io.spanlog.observer.Fleet.t;
import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.events.Envelope;
import io.spanlog.events.LinkMetricsWindow;
import io.spanlog.events.PeerState;
import io.spanlog.observer.Derived;
import io.spanlog.observer.query.Census;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObserverMetricsTest {
  private final ObserverMetrics metrics = new ObserverMetrics();

  private void window(String cluster, long start, double rxPerSecond) {
    LinkMetricsWindow w = new LinkMetricsWindow(A.id(), A.key(), B.key(), B.id(), t(start),
        t(start + 60), (long) (rxPerSecond * 60), 60, rxPerSecond, 1.0, 2, 0, 0);
    metrics.onDerived(new Derived(Derived.Output.LINK_METRICS,
        Envelope.of(cluster, "a/b", t(start + 60), "endpoint-observer", w)));
  }

  @Test
  void bytesPerSecondIsTheSumOverTheClustersLatestWindow() {
    window("c1", 0, 10);
    window("c1", 60, 20);
    window("c1", 60, 5);
    window("c1", 0, 1000); // an older window: counted in the bytes, not in the latest rate
    metrics.census(Map.of("c1", new Census.Counts(Map.of(PeerState.UP, 2), 0, 0, 2, 0, 0, 1)));

    String text = metrics.scrape();
    assertThat(text)
        .contains("spanlog_observer_bytes_per_second{cluster=\"c1\",direction=\"rx\"} 25.0")
        .contains("spanlog_observer_rx_bytes_total{cluster=\"c1\"} " + (600.0 + 1200 + 300 + 60000))
        .contains("spanlog_observer_links{cluster=\"c1\",state=\"up\"} 2.0")
        .contains("spanlog_observer_links{cluster=\"c1\",state=\"down\"} 0.0")
        .contains("spanlog_observer_nodes_drifting{cluster=\"c1\"} 1.0")
        .contains("spanlog_observer_derived_total{type=\"link.metrics-window\"} 4.0");
  }

  @Test
  void aClusterNoLongerHeldLeavesTheGauges() {
    metrics.census(Map.of("c1", new Census.Counts(Map.of(), 1, 0, 0, 0, 0, 0)));
    metrics.census(Map.of("c2", new Census.Counts(Map.of(), 0, 0, 0, 0, 0, 0)));

    assertThat(metrics.scrape()).doesNotContain("cluster=\"c1\"")
        .contains("spanlog_observer_links_flapping{cluster=\"c2\"} 0.0");
  }

  @Test
  void deadLettersOfJunkClusterIdsCannotGrowTheMetricsForever() {
    for (int i = 0; i < ObserverMetrics.MAX_DEAD_LETTER_CLUSTERS + 50; i++) {
      metrics.onDeadLettered("junk-" + i, "MALFORMED_JSON");
    }
    metrics.onDeadLettered("junk-0", "MALFORMED_JSON");

    String text = metrics.scrape();
    assertThat(text).contains(
        "spanlog_observer_dead_lettered_total{cluster=\"other\",problem=\"MALFORMED_JSON\"} 50.0");
    assertThat(text).contains(
        "spanlog_observer_dead_lettered_total{cluster=\"junk-0\",problem=\"MALFORMED_JSON\"} 2.0");
  }
}
