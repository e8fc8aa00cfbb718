package io.spanlog.observer.metrics;

import static io.spanlog.observer.Fleet.A;
import static io.spanlog.observer.Fleet.B;
import static io.spanlog.observer.Fleet.t;
import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.events.LinkMetricsWindow;
import io.spanlog.observer.Fleet;
import io.spanlog.observer.links.LinkKey;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MetricsTest {
  final MetricWindows windows = new MetricWindows(Duration.ofMinutes(1), Duration.ofMinutes(2));

  @Test
  void countersThatGrowGiveTheirDifference() {
    assertThat(CounterDelta.between(100, 200, 150, 260)).isEqualTo(new CounterDelta(50, 60, false));
  }

  @Test
  void aCounterThatWentBackwardsWasResetAndCountsFromZero() {
    assertThat(CounterDelta.between(1_000, 200, 300, 260)).isEqualTo(new CounterDelta(300, 60, true));
    assertThat(CounterDelta.between(1_000, 200, 0, 0)).isEqualTo(new CounterDelta(0, 0, true));
    assertThat(CounterDelta.between(0, 0, -5, -5).rxBytes()).isZero(); // never negative
  }

  @Test
  void windowsAreAlignedAndCloseAfterTheirGrace() {
    assertThat(windows.windowStart(t(59))).isEqualTo(t(0));
    assertThat(windows.windowStart(t(60))).isEqualTo(t(60));
    assertThat(windows.closed(t(0), t(179))).isFalse();
    assertThat(windows.closed(t(0), t(180))).isTrue();
    assertThat(windows.closedUpTo(t(180))).isEqualTo(t(0));
    assertThat(windows.closedUpTo(t(239))).isEqualTo(t(0));
    assertThat(windows.closedUpTo(t(240))).isEqualTo(t(60));
  }

  @Test
  void aWindowGivesBytesPerSecondAndAnIdleOneNothing() {
    WindowKey key = new WindowKey(new LinkKey(Fleet.CLUSTER, A.key(), B.key()), t(0));
    WindowTally t = WindowTally.empty("node-a", "node-b")
        .add(new CounterDelta(6_000, 600, false))
        .add(new CounterDelta(0, 0, true));

    LinkMetricsWindow w = windows.toEvent(key, t).orElseThrow();

    assertThat(w.rxBytesPerSecond()).isEqualTo(100.0);
    assertThat(w.txBytesPerSecond()).isEqualTo(10.0);
    assertThat(w.samples()).isEqualTo(2);
    assertThat(w.counterResets()).isEqualTo(1);
    assertThat(w.windowEnd()).isEqualTo(t(60));
    assertThat(windows.toEvent(key, WindowTally.empty("node-a", "node-b").add(CounterDelta.NONE)))
        .isEmpty();
    assertThat(windows.toEvent(key, WindowTally.empty("node-a", "node-b").dropped())).isPresent();
  }
}
