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
        .contains("concurrent calls (Watch streams included) per client IP, per /64 for IPv6 (default 4096)")
        .contains("open connections per client IP, per /64 for IPv6 (default 2048)")
        .contains("HTTP/2 concurrent streams per connection (default 256)")
        .contains("partitions of topics this service creates (default 6)")
        .contains("refused (default 8192)")
        .contains("refused (default 32768)")
        .contains("open Watch streams per client address (default 2048)")
        .contains("open Watch streams per cluster (default 2048)")
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
    assertThat(c.addressLimits()).isEqualTo(DiscoveryConfig.defaultAddressLimits());
    assertThat(parsed("--max-streams-per-address", "10", "--max-connections-per-address", "3", "--max-streams-per-connection", "5")
        .fromFlags("k", "i").addressLimits()).isEqualTo(new io.spanlog.discovery.rpc.AddressCaps.Limits(10, 3, 5));
    assertThat(c.caps()).isEqualTo(DiscoveryConfig.Caps.defaults());
    DiscoveryConfig.Caps caps = parsed("--max-clusters", "10", "--max-affiliates", "20", "--max-watches-per-address", "30",
        "--max-watches-per-cluster", "40").fromFlags("k", "i").caps();
    assertThat(caps).isEqualTo(new DiscoveryConfig.Caps(10, 20, 30, 40));
  }

  @Test
  void aWholeClusterBehindOneAddressFitsTheDefaultCaps() {
    var limits = DiscoveryConfig.defaults("k", "i").addressLimits();
    int nodes = io.spanlog.discovery.DiscoveryLimits.MAX_AFFILIATES_PER_CLUSTER;
    assertThat(limits.streamsPerAddress()).isGreaterThanOrEqualTo(2 * nodes); // a Watch and a call each
    assertThat(limits.connectionsPerAddress()).isGreaterThanOrEqualTo(nodes);
    assertThat(limits.streamsPerConnection()).isGreaterThanOrEqualTo(100); // what gRPC servers allow by custom
  }

  @Test
  void wrongValuesNameTheirFlag() {
    assertThatThrownBy(() -> parsed("--gc-interval", "soon").fromFlags("k", "i"))
        .hasMessage("--gc-interval 'soon' is not a duration (examples: 500ms, 30s, 1m, 1h30m)");
    assertThatThrownBy(() -> parsed("--addr", "localhost").fromFlags("k", "i"))
        .hasMessage("--addr 'localhost': the port must be 0..65535");
    assertThatThrownBy(() -> parsed("--metrics-addr", "::1:2122").fromFlags("k", "i"))
        .hasMessageContaining("--metrics-addr '::1:2122': put an IPv6 address in brackets");
    assertThatThrownBy(() -> parsed("--max-streams-per-address", "0").fromFlags("k", "i"))
        .hasMessage("--max-streams-per-address 0: must be at least 1");
    assertThatThrownBy(() -> parsed("--max-affiliates", "0").fromFlags("k", "i"))
        .hasMessage("--max-affiliates 0: must be at least 1");
  }

  @Test
  void aBadKafkaConfigFileExitsTwoWithOneSentenceBeforeAnythingStarts() throws Exception {
    java.nio.file.Path file = java.nio.file.Files.createTempFile("kafka-", ".properties");
    try {
      java.nio.file.Files.writeString(file, "enable.idempotence=false\n");
      java.io.StringWriter err = new java.io.StringWriter();
      // a closed port and no broker on the classpath's default: were the file accepted, the start would fail otherwise
      int code = new CommandLine(new DiscoveryMain()).setErr(new java.io.PrintWriter(err, true))
          .execute("--bootstrap", "127.0.0.1:1", "--kafka-config", file.toString(), "--addr", "127.0.0.1:0");
      assertThat(code).isEqualTo(2);
      assertThat(err.toString().strip()).isEqualTo("spanlog discovery: --kafka-config " + file
          + ": enable.idempotence cannot be set there: Spanlog's producers are always idempotent");
    } finally {
      java.nio.file.Files.deleteIfExists(file);
    }
  }

  @Test
  void theKafkaFlagsParse() {
    DiscoveryMain main = parsed("--kafka-config", "/etc/spanlog/kafka.properties", "--allow-under-replicated");
    assertThat(main.kafkaConfig).hasToString("/etc/spanlog/kafka.properties");
    assertThat(main.allowUnderReplicated).isTrue();
    assertThat(parsed().allowUnderReplicated).isFalse();
    assertThat(parsed().kafkaClient().isEmpty()).isTrue();
  }
}
