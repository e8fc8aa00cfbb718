package io.spanlog.discovery.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.spanlog.discovery.api.Affiliate;
import io.spanlog.discovery.api.AffiliateUpdateRequest;
import io.spanlog.discovery.api.WatchResponse;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every RPC of the spec against one instance over a real socket, on a real broker. */
class DiscoveryServiceIT {
  static final Duration TTL = Duration.ofMinutes(30);
  static final ByteString E1 = ByteString.fromHex("45c55198f8ad5b07dd423e192f7e13e8");
  static final ByteString E2 = ByteString.fromHex("18d8f361863095b08c52b5c6de56a3c9d604c19a74d2f45c1e624c2d38c4cca0");

  static String log;
  static DiscoveryServer server;
  static Vertx vertx;
  static ApiClient client;
  static int clusters;

  @BeforeAll
  static void start() throws Exception {
    log = TestServers.newLog();
    server = DiscoveryServer.start(TestServers.config(log, "it-1"));
    vertx = Vertx.vertx();
    client = new ApiClient(vertx, server.port());
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (vertx != null) {
      vertx.close().await();
    }
    if (server != null) {
      server.close();
    }
  }

  static String freshCluster() {
    return "cluster-" + (++clusters) + "-" + System.nanoTime();
  }

  static Map<String, Affiliate> listed(String cluster) {
    return client.list(cluster).ok().getAffiliatesList().stream().collect(Collectors.toMap(Affiliate::getId, a -> a));
  }

  @Test
  void helloReportsThePeerAddressAndIgnoresUntrustedHeaders() throws Exception {
    var reply = client.hello("c", "v1.13.2", Map.of("x-real-ip", "1.2.3.4", "x-forwarded-for", "5.6.7.8")).ok();
    assertThat(InetAddress.getByAddress(reply.getClientIp().toByteArray())).isEqualTo(InetAddress.getByName("127.0.0.1"));
    assertThat(reply.hasRedirect()).isFalse();
    assertThat(server.metricsText()).contains("discovery_server_hello_requests_total{client_version=\"v1.13\"}");
    // Hello touches no cluster state
    assertThat(server.view().clusterCount()).isEqualTo(server.view().allClusters().size());
  }

  @Test
  void everyLimitAnswersWithTheSpecStatusAndMessage() {
    assertStatus(client.hello("", "v1", Map.of()), GrpcStatus.INVALID_ARGUMENT, "cluster ID can't be empty");
    assertStatus(client.list("x".repeat(257)), GrpcStatus.INVALID_ARGUMENT, "cluster ID is too long");
    assertStatus(client.delete("c", ""), GrpcStatus.INVALID_ARGUMENT, "affiliate ID can't be empty");
    assertStatus(client.delete("c", "y".repeat(257)), GrpcStatus.INVALID_ARGUMENT, "affiliate ID is too long");
    assertStatus(client.update("", "a", "d", TTL), GrpcStatus.INVALID_ARGUMENT, "cluster ID can't be empty");
    assertStatus(client.update("c", "", "d", TTL), GrpcStatus.INVALID_ARGUMENT, "affiliate ID can't be empty");
    assertStatus(client.update("c", "a", "d".repeat(2049), TTL), GrpcStatus.INVALID_ARGUMENT, "affiliate data is too big");
    assertStatus(client.update("c", "a", "d", TTL, ByteString.copyFrom(new byte[33])), GrpcStatus.INVALID_ARGUMENT, "affiliate endpoint is too big");
    assertStatus(client.update("c", "a", "d", TTL.plusSeconds(1)), GrpcStatus.INVALID_ARGUMENT, "ttl is too large");
    Watcher w = client.watch("");
    try {
      var end = w.awaitEnd();
      assertThat(end.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
      assertThat(end.message()).isEqualTo("cluster ID can't be empty");
      assertThat(w.messages).isEmpty();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    // nothing invalid was stored
    assertThat(listed("c")).isEmpty();
  }

  @Test
  void the1025thAffiliateIsRefusedAndExistingOnesStillUpdate() {
    String c = freshCluster();
    List<AffiliateUpdateRequest> creates = new ArrayList<>();
    for (int i = 0; i < 1024; i++) {
      creates.add(AffiliateUpdateRequest.newBuilder().setClusterId(c).setAffiliateId("a" + i)
          .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(600)).build());
    }
    // concurrently, as many nodes would
    creates.parallelStream().forEach(r -> client.update(r).ok());
    assertStatus(client.update(c, "one-too-many", "d", TTL), GrpcStatus.RESOURCE_EXHAUSTED, "too many affiliates in the cluster");
    assertThat(listed(c)).hasSize(1024).doesNotContainKey("one-too-many");
    client.update(c, "a5", "d", TTL).ok();
  }

  static ByteString endpoint(int i) {
    return ByteString.copyFrom(new byte[] {(byte) i, 0, 0, 1});
  }

  static AffiliateUpdateRequest.Builder withEndpoints(String cluster, String affiliate, int from, int to) {
    AffiliateUpdateRequest.Builder b = AffiliateUpdateRequest.newBuilder().setClusterId(cluster).setAffiliateId(affiliate)
        .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(600));
    for (int i = from; i < to; i++) {
      b.addAffiliateEndpoints(endpoint(i));
    }
    return b;
  }

  static int eventsOf(String cluster) {
    return LogReplay.eventsOf(TestServers.bootstrap(), log + ".events", cluster);
  }

  /** Issue 14: refused before the append, where the reference merges 64 and then refuses. */
  @Test
  void anUpdateWithMoreThan64EndpointsIsRefusedAndNothingIsAppended() {
    String c = freshCluster();
    AffiliateUpdateRequest.Builder b = withEndpoints(c, "a", 0, 70).setAffiliateData(ByteString.copyFromUtf8("d"));
    assertStatus(client.update(b.build()), GrpcStatus.RESOURCE_EXHAUSTED, "too many endpoints in the affiliate");
    assertThat(listed(c)).as("nothing stored").isEmpty();
    assertThat(eventsOf(c)).as("nothing appended to the log").isZero();
    // the same blob many times is one endpoint
    AffiliateUpdateRequest.Builder repeated = withEndpoints(c, "a", 0, 64);
    for (int i = 0; i < 100; i++) {
      repeated.addAffiliateEndpoints(endpoint(i % 64));
    }
    client.update(repeated.build()).ok();
    assertThat(listed(c).get("a").getEndpointsList()).hasSize(64);
  }

  @Test
  void newEndpointsThatWouldPassTheAffiliates64AreRefusedAndNothingIsAppended() {
    String c = freshCluster();
    client.update(withEndpoints(c, "a", 0, 60).build()).ok();
    assertThat(eventsOf(c)).isEqualTo(1);
    // 60 known, 5 new: 65
    assertStatus(client.update(withEndpoints(c, "a", 0, 65).build()), GrpcStatus.RESOURCE_EXHAUSTED, "too many endpoints in the affiliate");
    assertStatus(client.update(withEndpoints(c, "a", 60, 65).build()), GrpcStatus.RESOURCE_EXHAUSTED, "too many endpoints in the affiliate");
    assertThat(eventsOf(c)).as("refused updates are not in the log").isEqualTo(1);
    assertThat(listed(c).get("a").getEndpointsList()).hasSize(60);
    // 60 known (refreshed), 4 new: exactly 64
    client.update(withEndpoints(c, "a", 0, 64).build()).ok();
    assertThat(listed(c).get("a").getEndpointsList()).hasSize(64).containsExactlyElementsOf(withEndpoints(c, "a", 0, 64).getAffiliateEndpointsList());
    // a refresh of all 64 is still accepted; another affiliate has its own 64
    client.update(withEndpoints(c, "a", 0, 64).build()).ok();
    client.update(withEndpoints(c, "b", 100, 164).build()).ok();
    assertThat(eventsOf(c)).isEqualTo(4);
  }

  @Test
  void twoWatchersSeeSnapshotChangesAndDeletionsInOrder() throws Exception {
    String c = freshCluster();
    client.update(c, "early", "e0", TTL).ok();
    Watcher w1 = client.watch(c);
    Watcher w2 = client.watch(c);
    for (Watcher w : List.of(w1, w2)) {
      WatchResponse snapshot = w.next();
      assertThat(snapshot.getDeleted()).isFalse();
      assertThat(snapshot.getAffiliatesList()).extracting(Affiliate::getId).containsExactly("early");
    }
    client.update(c, "a", "d1", TTL, E1).ok();            // created: upsert
    client.update(c, "a", null, TTL, E1).ok();            // refresh of a known endpoint: nothing
    client.update(c, "a", "d1", TTL).ok();                // same data again: upsert
    client.update(c, "a", null, TTL, E2).ok();            // new endpoint: upsert with both
    client.delete(c, "a").ok();                           // deletion
    client.delete(c, "never-existed").ok();               // silent
    for (Watcher w : List.of(w1, w2)) {
      WatchResponse m1 = w.next();
      assertThat(m1.getAffiliatesList()).containsExactly(Affiliate.newBuilder().setId("a").setData(ByteString.copyFromUtf8("d1")).addEndpoints(E1).build());
      WatchResponse m2 = w.next();
      assertThat(m2.getAffiliates(0).getData().toStringUtf8()).isEqualTo("d1");
      WatchResponse m3 = w.next();
      assertThat(m3.getAffiliates(0).getEndpointsList()).containsExactly(E1, E2);
      WatchResponse m4 = w.next();
      assertThat(m4.getDeleted()).isTrue();
      assertThat(m4.getAffiliatesList()).containsExactly(Affiliate.newBuilder().setId("a").build());
      w.assertNothingWithin(300);
      w.cancel();
    }
    awaitSubscriptions(0);
  }

  @Test
  void firstWatchMessageOfAnEmptyClusterIsAnEmptySnapshot() throws Exception {
    Watcher w = client.watch(freshCluster());
    WatchResponse first = w.next();
    assertThat(first.getSerializedSize()).isZero();
    w.cancel();
  }

  @Test
  void endpointsMergeByBytesAndPeersMayPublishHarvestedEndpoints() {
    String c = freshCluster();
    client.update(c, "self", "data", TTL, E1).ok();
    // a peer publishes what it harvested for "other", which has not registered yet
    client.update(c, "other", null, TTL, E1, E2).ok();
    client.update(c, "self", null, TTL, ByteString.copyFrom(E1.toByteArray()), E2).ok();
    Map<String, Affiliate> all = listed(c);
    assertThat(all.get("self").getEndpointsList()).containsExactly(E1, E2);
    assertThat(all.get("other").getData()).isEmpty();
    assertThat(all.get("other").getEndpointsList()).containsExactly(E1, E2);
    // an update with neither data nor endpoints still creates the affiliate
    client.update(c, "bare", null, TTL).ok();
    assertThat(listed(c)).containsKey("bare");
  }

  @Test
  void readYourWrites() {
    String c = freshCluster();
    for (int i = 0; i < 50; i++) {
      client.update(c, "a" + i, "d" + i, TTL).ok();
      assertThat(listed(c)).containsKey("a" + i);
      client.delete(c, "a" + i).ok();
      assertThat(listed(c)).doesNotContainKey("a" + i);
    }
  }

  @Test
  void expiryRemovesAffiliatesAndDropsEndpointsWithAnUpsert() throws Exception {
    String c = freshCluster();
    client.update(c, "short", "d", Duration.ofSeconds(1)).ok();
    client.update(c, "keeps", "d", TTL, E1).ok();
    client.update(c, "keeps", null, Duration.ofSeconds(1), E2).ok();
    client.update(c, "zero-ttl", null, Duration.ZERO).ok();
    Watcher w = client.watch(c);
    assertThat(w.next().getAffiliatesCount()).isEqualTo(3);
    List<WatchResponse> changes = List.of(w.next(), w.next(), w.next());
    assertThat(changes).filteredOn(WatchResponse::getDeleted).extracting(m -> m.getAffiliates(0).getId())
        .containsExactlyInAnyOrder("short", "zero-ttl");
    // Spanlog sends the live affiliate with its remaining endpoints, not a deletion
    assertThat(changes).filteredOn(m -> !m.getDeleted()).singleElement()
        .satisfies(m -> assertThat(m.getAffiliatesList()).containsExactly(
            Affiliate.newBuilder().setId("keeps").setData(ByteString.copyFromUtf8("d")).addEndpoints(E1).build()));
    assertThat(listed(c).keySet()).containsExactly("keeps");
    assertThat(server.metricsText()).containsPattern("discovery_state_gc_runs_total [1-9]");
    w.cancel();
  }

  @Test
  void aWatcherThatStopsReadingIsAbortedAndOthersGoOn() throws Exception {
    String c = freshCluster();
    // its own connection: a client that stops reading also stalls its connection's other streams
    ApiClient slowClient = new ApiClient(vertx, server.port());
    Watcher slow = slowClient.watch(c);
    Watcher fast = client.watch(c);
    slow.next();
    fast.next();
    slow.pause();
    String big = "x".repeat(2000);
    int before = server.view().subscriptionCount();
    for (int i = 0; i < 2000 && server.view().subscriptionCount() == before; i++) {
      client.update(c, "a" + (i % 20), big + i, TTL).ok();
    }
    assertThat(server.view().subscriptionCount()).as("the server dropped the slow stream").isEqualTo(before - 1);
    slow.resume(); // the status is behind the messages it did not read
    Watcher.End end = slow.awaitEnd();
    assertThat(end.status()).isEqualTo(GrpcStatus.ABORTED);
    // the message travels in the trailers; Vert.x's client exposes it only for trailers-only answers
    assertThat(fast.end).isNotDone();
    fast.cancel();
    slowClient.close();
  }

  static void awaitSubscriptions(int n) throws InterruptedException {
    for (int i = 0; i < 100 && server.view().subscriptionCount() != n; i++) {
      Thread.sleep(50);
    }
    assertThat(server.view().subscriptionCount()).isEqualTo(n);
  }

  static void assertStatus(ApiClient.Reply<?> reply, GrpcStatus status, String message) {
    assertThat(reply.status()).as("status of the call").isEqualTo(status);
    assertThat(reply.message()).isEqualTo(message);
  }

  static Optional<String> none() {
    return Optional.empty();
  }
}
