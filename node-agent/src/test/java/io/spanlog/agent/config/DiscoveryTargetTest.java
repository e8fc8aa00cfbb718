package io.spanlog.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DiscoveryTargetTest {

  @Test
  void talosUrlsBecomeGrpcTargets() {
    assertThat(DiscoveryTarget.parse("https://discovery.talos.dev/").authority()).isEqualTo("discovery.talos.dev:443");
    assertThat(DiscoveryTarget.parse("https://d.example:8443/")).isEqualTo(new DiscoveryTarget("d.example", 8443, true));
    assertThat(DiscoveryTarget.parse("http://127.0.0.1:3000")).isEqualTo(new DiscoveryTarget("127.0.0.1", 3000, false));
    assertThat(DiscoveryTarget.parse("http://d.example").port()).isEqualTo(80);
    assertThat(DiscoveryTarget.parse("http://[fd00::1]:3000/").authority()).isEqualTo("[fd00::1]:3000");
  }

  @Test
  void rejectsWhatIsNotAHostAndPort() {
    assertThatThrownBy(() -> DiscoveryTarget.parse("discovery.talos.dev:443")).hasMessageContaining("https://");
    assertThatThrownBy(() -> DiscoveryTarget.parse("https://d.example/v1")).hasMessageContaining("nothing else");
    assertThatThrownBy(() -> DiscoveryTarget.parse("https://user@d.example/")).hasMessageContaining("nothing else");
    assertThatThrownBy(() -> DiscoveryTarget.parse("https://")).hasMessageContaining("has no host");
    assertThatThrownBy(() -> DiscoveryTarget.parse("https://d.example:99999/"))
        .hasMessage("the URL's host:port 'd.example:99999': the port must be 1..65535");
    assertThatThrownBy(() -> DiscoveryTarget.parse("http://fd00::1:3000/")).hasMessageContaining("brackets");
  }
}
