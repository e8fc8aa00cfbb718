package io.spanlog.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spanlog.discovery.api.Affiliate;
import io.spanlog.infra.testing.FreePorts;
import io.spanlog.infra.testing.KafkaFixture;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A service started on topics that did not exist a moment ago serves at once: its projection
 * sees every partition and its first writes go through, whoever created the topics.
 */
class FreshTopicsIT {
  static final Duration TTL = Duration.ofMinutes(30);
  static final int ROUNDS = 5;

  Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await();
  }

  @Test
  void topicsTheServiceCreatesItselfServeAtOnce() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      writeAndListRightAfterStart(TestServers.newLog(), round);
    }
  }

  @Test
  void topicsAnotherProcessJustCreatedServeAtOnce() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      String log = TestServers.newLog();
      DiscoveryTopics topics = DiscoveryTopics.prefixed(log);
      try (Admin admin = KafkaFixture.shared().newAdmin()) {
        // not waited for: the service must cope with topics whose partitions are still being placed
        admin.createTopics(List.of(
            new NewTopic(topics.events(), 3, (short) 1),
            new NewTopic(topics.snapshots(), 3, (short) 1),
            new NewTopic(topics.deadLetter(), 1, (short) 1),
            new NewTopic(topics.telemetry(), 3, (short) 1)));
        writeAndListRightAfterStart(log, round);
      }
    }
  }

  @Test
  void anUnreachableBrokerFailsTheStartInTimeNamingTheServers() {
    int closed = FreePorts.next();
    DiscoveryConfig config = TestServers.config(TestServers.newLog(), "nobody").withBootstrap("127.0.0.1:" + closed);
    assertThatThrownBy(() -> DiscoveryServer.start(config, Duration.ofSeconds(3)).close())
        .hasMessageContaining("127.0.0.1:" + closed)
        .hasMessageContaining("3000 ms");
  }

  private void writeAndListRightAfterStart(String log, int round) throws Exception {
    try (DiscoveryServer server = DiscoveryServer.start(TestServers.config(log, "fresh-" + round));
        ApiClient client = new ApiClient(vertx, server.port())) {
      // a burst over several clusters, so several partitions take their first records at once
      for (int c = 0; c < 12; c++) {
        client.update("c" + c, "n" + round, "hello", TTL).ok();
      }
      for (int c = 0; c < 12; c++) {
        assertThat(client.list("c" + c).ok().getAffiliatesList()).extracting(Affiliate::getId)
            .as("round %d cluster c%d", round, c).containsExactly("n" + round);
      }
      assertThat(server.state()).hasSize(12);
    }
  }
}
