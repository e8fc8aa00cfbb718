package io.spanlog.discovery.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HealthTest {
  @Test
  void catchingUpIsLiveButNotReady() {
    Health h = Health.of(false, true, false, false, 1234);
    assertThat(h.live()).isTrue();
    assertThat(h.ready()).isFalse();
    assertThat(h.detail()).contains("1234 records behind");
  }

  @Test
  void caughtUpAndFoldingIsReady() {
    Health h = Health.of(true, true, false, false, 0);
    assertThat(h.live()).isTrue();
    assertThat(h.ready()).isTrue();
    assertThat(h.json()).isEqualTo("{\"live\":true,\"ready\":true,\"detail\":\"serving; the projection is 0 records behind the event log\"}\n");
  }

  @Test
  void aProjectionWaitingToRestartIsNeitherLiveNorReady() {
    Health h = Health.of(true, false, false, false, 0);
    assertThat(h.live()).isFalse();
    assertThat(h.ready()).isFalse();
    assertThat(h.detail()).contains("restarting");
  }

  @Test
  void aProjectionThatGaveUpIsNeitherLiveNorReadyAlsoWhileStopping() {
    Health h = Health.of(true, false, true, true, 0);
    assertThat(h.live()).isFalse();
    assertThat(h.ready()).isFalse();
    assertThat(h.detail()).contains("did not recover");
  }

  @Test
  void stoppingIsLiveButNotReady() {
    Health h = Health.of(true, true, false, true, 0);
    assertThat(h.live()).isTrue();
    assertThat(h.ready()).isFalse();
    assertThat(h.json()).contains("\"detail\":\"shutting down\"");
  }
}
