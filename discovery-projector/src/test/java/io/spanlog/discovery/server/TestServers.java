package io.spanlog.discovery.server;

import io.spanlog.infra.testing.KafkaFixture;
import java.time.Duration;
import java.util.UUID;

/** Discovery service instances on the shared test broker, each group on its own topics. */
final class TestServers {
  private TestServers() {}

  static String bootstrap() {
    return KafkaFixture.shared().bootstrapServers();
  }

  /** A fresh topic prefix: instances given the same one share a log. */
  static String newLog() {
    return "it-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Test settings on the shared broker: free loopback ports, metrics on, quick GC and snapshots. */
  static DiscoveryConfig config(String log, String instance) {
    return config(bootstrap(), log, instance).withPorts("127.0.0.1", 0, 0);
  }

  /**
   * Test settings on any broker, with no metrics port: a log of 3 partitions, GC every 300 ms,
   * snapshots every second, and no rate limit to speak of (every test client is 127.0.0.1).
   */
  static DiscoveryConfig config(String bootstrap, String log, String instance) {
    return DiscoveryConfig.defaults(bootstrap, instance)
        .withPorts("127.0.0.1", 0, -1)
        .withTopics(log, 3)
        .withGc(Duration.ofMillis(300), Duration.ofSeconds(1))
        .withRateLimit(100_000, 100_000);
  }
}
