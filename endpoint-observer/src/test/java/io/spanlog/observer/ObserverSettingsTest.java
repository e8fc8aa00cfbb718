package io.spanlog.observer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ObserverSettingsTest {
  @Test
  void theDefaultsSuitA30SecondReconcile() {
    ObserverSettings s = ObserverSettings.defaults();

    assertThat(s.flapChanges()).isEqualTo(4);
    assertThat(s.flapWindow()).isEqualTo(Duration.ofMinutes(10));
    assertThat(s.asymmetricAfter()).isEqualTo(Duration.ofMinutes(2));
    assertThat(s.silentAfter()).isEqualTo(Duration.ofSeconds(90));
    assertThat(s.metricsWindow()).isEqualTo(Duration.ofMinutes(1));
    assertThat(s.metricsGrace()).isEqualTo(Duration.ofMinutes(2));
    assertThat(s.linkEventsTopic()).isEqualTo("spanlog.link.events");
  }

  @Test
  void aSettingOutOfRangeIsRefusedWithItsName() {
    ObserverSettings s = ObserverSettings.defaults();

    assertThatThrownBy(() -> s.withFlapping(0, Duration.ofMinutes(1), Duration.ofMinutes(1)))
        .hasMessageContaining("flapChanges");
    assertThatThrownBy(() -> s.withMetrics(Duration.ofMillis(1500), Duration.ZERO))
        .hasMessageContaining("metricsWindow");
    assertThatThrownBy(() -> s.withSilence(Duration.ZERO, Duration.ofSeconds(1)))
        .hasMessageContaining("silentAfter");
  }
}
