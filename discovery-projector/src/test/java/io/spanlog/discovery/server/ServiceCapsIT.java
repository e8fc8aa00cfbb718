package io.spanlog.discovery.server;

import static io.spanlog.discovery.server.DiscoveryServiceIT.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: one instance's caps on clusters, affiliates and Watch streams, as a client sees them
 * over a real socket, on a real broker: refused with RESOURCE_EXHAUSTED and a sentence, and a
 * refused write appends nothing to the log.
 */
class ServiceCapsIT {
  static final Duration TTL = Duration.ofMinutes(30);

  static String log;
  static DiscoveryServer server;
  static Vertx vertx;
  static ApiClient client;
  final List<Watcher> watchers = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    log = TestServers.newLog();
    server = DiscoveryServer.start(TestServers.config(log, "caps-1")
        .withCaps(new DiscoveryConfig.Caps(2, 3, 4, 2)));
    vertx = Vertx.vertx();
    client = new ApiClient(vertx, server.port());
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    vertx.close().await();
    server.close();
  }

  @AfterEach
  void closeWatchers() throws InterruptedException {
    watchers.forEach(Watcher::cancel);
    for (int i = 0; i < 100 && server.view().subscriptionCount() > 0; i++) {
      Thread.sleep(50);
    }
    assertThat(server.view().subscriptionCount()).isZero();
  }

  static int eventsOf(String cluster) {
    return LogReplay.eventsOf(TestServers.bootstrap(), log + ".events", cluster);
  }

  Watcher watch(String cluster) {
    Watcher w = client.watch(cluster);
    watchers.add(w);
    return w;
  }

  @Test
  void clustersAndAffiliatesBeyondTheInstanceCapsAreRefusedBeforeTheLog() throws Exception {
    client.update("c1", "a1", "d", TTL).ok();
    client.update("c1", "a2", "d", TTL).ok();
    client.update("c2", "b1", "d", TTL).ok();
    assertThat(server.metricsText())
        .contains("spanlog_discovery_capacity_near{resource=\"affiliates\"} 1.0")
        .contains("spanlog_discovery_capacity_used_ratio{resource=\"clusters\"} 1.0");

    assertStatus(client.update("c1", "a3", "d", TTL), GrpcStatus.RESOURCE_EXHAUSTED, "too many affiliates on this discovery service");
    assertStatus(client.update("c3", "x", "d", TTL), GrpcStatus.RESOURCE_EXHAUSTED, "too many clusters on this discovery service");
    assertThat(eventsOf("c1")).as("refused writes are not in the log").isEqualTo(2);
    assertThat(eventsOf("c3")).isZero();
    assertThat(server.state().get("c1").affiliate("a3")).isEmpty();
    assertThat(server.metricsText())
        .contains("spanlog_discovery_capacity_refused_total{resource=\"affiliates\"} 1.0")
        .contains("spanlog_discovery_capacity_refused_total{resource=\"clusters\"} 1.0");

    // what exists still updates; a delete makes room
    client.update("c1", "a1", "new data", TTL).ok();
    client.delete("c2", "b1").ok();
    client.update("c1", "a3", "d", TTL).ok();
    assertStatus(client.update("c4", "x", "d", TTL), GrpcStatus.RESOURCE_EXHAUSTED, "too many affiliates on this discovery service");
    client.delete("c1", "a1").ok();
    client.delete("c1", "a2").ok();
    client.delete("c1", "a3").ok();
  }

  @Test
  void aThirdWatchOnOneClusterIsRefusedUntilOneCloses() throws Exception {
    Watcher w1 = watch("watched");
    Watcher w2 = watch("watched");
    w1.next();
    w2.next();
    Watcher w3 = watch("watched");
    Watcher.End end = w3.awaitEnd();
    assertThat(end.status()).isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED);
    assertThat(end.message()).isEqualTo("too many Watch streams on this cluster");
    assertThat(w3.messages).isEmpty();
    w1.cancel();
    for (int i = 0; i < 100 && server.view().subscriptionCount() > 1; i++) {
      Thread.sleep(50);
    }
    watch("watched").next();
    assertThat(server.metricsText()).contains("spanlog_discovery_watch_refused_total{reason=\"cluster\"} 1.0");
  }

  @Test
  void aFifthWatchFromOneAddressIsRefusedWhateverItsCluster() throws Exception {
    for (int i = 0; i < 4; i++) {
      watch("addr-" + i).next();
    }
    Watcher fifth = watch("addr-4");
    Watcher.End end = fifth.awaitEnd();
    assertThat(end.status()).isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED);
    assertThat(end.message()).isEqualTo("too many Watch streams from this client address");
    // the others are untouched and still follow their clusters
    for (Watcher w : watchers.subList(0, 4)) {
      assertThat(w.end).isNotDone();
    }
    client.update("addr-0", "n", "d", TTL).ok();
    assertThat(watchers.get(0).next().getAffiliates(0).getId()).isEqualTo("n");
    client.delete("addr-0", "n").ok();
  }
}
