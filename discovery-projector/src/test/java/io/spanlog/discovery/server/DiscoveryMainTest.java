package io.spanlog.discovery.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The flags: their defaults are DiscoveryConfig's, and a wrong value is one sentence naming its flag. */
class DiscoveryMainTest {
  static DiscoveryMain parsed(String... args) {
    DiscoveryMain main = new DiscoveryMain();
    new CommandLine(main).parseArgs(args);
    return main;
  }

  @Test
  void noFlagsGiveTheConfigDefaults() {
    assertThat(parsed().fromFlags("kafka:9092", "i-1")).isEqualTo(DiscoveryConfig.defaults("kafka:9092", "i-1"));
  }

  @Test
  void helpShowsTheDefaults() {
    String help = new CommandLine(new DiscoveryMain()).setUsageHelpWidth(200).getUsageMessage(CommandLine.Help.Ansi.OFF);
    assertThat(help)
        .contains("gRPC listen address (default :3000)")
        .contains("Prometheus /metrics and /healthz address; empty turns both off (default :2122)")
        .contains("GET /healthz/live").contains("/healthz/ready").contains("exits 1")
        .contains("expiry collection interval (default 1m)")
        .contains("(default 15)")
        .contains("(default 60)")
        .contains("partitions of topics this service creates (default 6)")
        .contains("Durations are Go-style: 500ms, 30s, 1m, 1h30m.");
  }

  @Test
  void flagsOverrideThem() {
    DiscoveryConfig c = parsed("--addr", "127.0.0.1:3001", "--metrics-addr", "", "--gc-interval", "1h30m",
        "--snapshot-interval", "500ms", "--partitions", "3").fromFlags("k", "i");
    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.port()).isEqualTo(3001);
    assertThat(c.metricsPort()).isEqualTo(-1);
    assertThat(c.gcInterval()).isEqualTo(Duration.ofMinutes(90));
    assertThat(c.snapshotInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.partitions()).isEqualTo(3);
  }

  @Test
  void wrongValuesNameTheirFlag() {
    assertThatThrownBy(() -> parsed("--gc-interval", "soon").fromFlags("k", "i"))
        .hasMessage("--gc-interval 'soon' is not a duration (examples: 500ms, 30s, 1m, 1h30m)");
    assertThatThrownBy(() -> parsed("--addr", "localhost").fromFlags("k", "i"))
        .hasMessage("--addr 'localhost': the port must be 0..65535");
    assertThatThrownBy(() -> parsed("--metrics-addr", "::1:2122").fromFlags("k", "i"))
        .hasMessageContaining("--metrics-addr '::1:2122': put an IPv6 address in brackets");
  }
}
