package io.spanlog.discovery.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spanlog.discovery.api.Affiliate;
import io.spanlog.discovery.log.DiscoveryTopics;
import io.spanlog.infra.testing.KafkaChildProcess;
import io.spanlog.infra.testing.KafkaCluster;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The discovery service on a real 3-broker KRaft cluster (three broker JVMs on this machine, each
 * broker and controller): its topics get three replicas with two in sync, it refuses an
 * under-replicated events topic unless told otherwise, and a broker killed with SIGKILL while 16
 * writers write loses no acknowledged write, stops no read, and pauses writes for about the
 * broker session timeout (lowered here to 4 s, so that the controller fences the dead broker, elects
 * new leaders and shrinks the ISRs quickly).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrokerLossIT {
  static final Map<String, String> FAST_FAILOVER = Map.of(
      "broker.session.timeout.ms", "4000",
      "broker.heartbeat.interval.ms", "500",
      // a small broker: fewer threads on a 2-core machine that runs three of them
      "num.network.threads", "2",
      "num.io.threads", "2",
      "num.recovery.threads.per.data.dir", "1",
      "background.threads", "2");
  static final int WRITERS = 16;
  static final Duration TTL = Duration.ofMinutes(30);
  /** Affiliates per cluster a writer fills before it moves to its next cluster (the cap is 1,024). */
  static final int PER_CLUSTER = 500;

  /** Acknowledged writes to see before the kill, and again after it. */
  static final int WARM_UP_ACKS = 200;
  /** How long the writers go on after the kill, at least. */
  static final Duration AFTER_KILL = Duration.ofSeconds(10);

  static KafkaCluster cluster;
  static Vertx vertx;

  @BeforeAll
  static void startCluster() {
    cluster = KafkaCluster.start(3, "320m", FAST_FAILOVER);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void anUnderReplicatedEventsTopicIsRefusedUnlessAllowed() throws Exception {
    String log = TestServers.newLog();
    DiscoveryTopics topics = DiscoveryTopics.prefixed(log);
    try (Admin admin = admin()) {
      admin.createTopics(List.of(new NewTopic(topics.events(), 3, (short) 1))).all().get();
    }
    DiscoveryConfig config = TestServers.config(cluster.bootstrapServers(), log, "under-replicated");

    assertThatThrownBy(() -> DiscoveryServer.start(config).close())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the events topic " + topics.events() + " has 1 replica(s)")
        .hasMessageContaining("allows 3")
        .hasMessageContaining("--allow-under-replicated");

    try (DiscoveryServer server = DiscoveryServer.with(config).allowUnderReplicated(true).start();
        ApiClient client = new ApiClient(vertx, server.port())) {
      client.update("c", "n", "served anyway", TTL).ok();
      assertThat(client.list("c").ok().getAffiliatesList()).extracting(Affiliate::getId).containsExactly("n");
    }
  }

  @Test
  @Order(2)
  void killingABrokerLosesNoAcknowledgedWriteAndStopsNoRead() throws Exception {
    String log = TestServers.newLog();
    DiscoveryConfig config = TestServers.config(cluster.bootstrapServers(), log, "broker-loss")
        .withGc(Duration.ofSeconds(5), Duration.ofSeconds(5));
    DiscoveryTopics topics = config.topics();
    try (DiscoveryServer server = DiscoveryServer.start(config);
        ApiClient writers = new ApiClient(vertx, server.port());
        ApiClient reader = new ApiClient(vertx, server.port())) {
      assertReplicatedAsTheClusterAllows(topics.events(), 3, "2");

      AtomicBoolean running = new AtomicBoolean(true);
      ConcurrentLinkedQueue<Long> ackNanos = new ConcurrentLinkedQueue<>();
      Map<String, Set<String>> acked = new ConcurrentHashMap<>();
      Map<GrpcStatus, AtomicInteger> refused = new ConcurrentHashMap<>();
      long[] longestPerWriter = new long[WRITERS];
      List<Thread> threads = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        threads.add(started("writer-" + w, () -> {
          long previous = System.nanoTime();
          for (int n = 0; running.get(); n++) {
            String clusterId = "ha-" + writer + "-" + (n / PER_CLUSTER);
            String affiliate = "w" + writer + "-" + n;
            ApiClient.Reply<?> reply = writers.update(clusterId, affiliate, "write " + n, TTL);
            long now = System.nanoTime();
            if (reply.status() == GrpcStatus.OK) {
              acked.computeIfAbsent(clusterId, k -> ConcurrentHashMap.newKeySet()).add(affiliate);
              ackNanos.add(now);
              longestPerWriter[writer] = Math.max(longestPerWriter[writer], now - previous);
              previous = now;
            } else {
              refused.computeIfAbsent(reply.status(), k -> new AtomicInteger()).incrementAndGet();
            }
          }
        }));
      }
      ConcurrentLinkedQueue<String> failedReads = new ConcurrentLinkedQueue<>();
      AtomicInteger reads = new AtomicInteger();
      long[] slowestRead = new long[1];
      Thread readerThread = started("reader", () -> {
        while (running.get()) {
          long t0 = System.nanoTime();
          ApiClient.Reply<?> reply = reader.list("ha-0-0");
          slowestRead[0] = Math.max(slowestRead[0], System.nanoTime() - t0);
          reads.incrementAndGet();
          if (reply.status() != GrpcStatus.OK) {
            failedReads.add(reply.status() + ": " + reply.message());
          }
          sleep(20);
        }
      });

      // writes flowing first (a busy machine can take a while to get there), then the kill
      awaitCount(ackNanos, WARM_UP_ACKS, Duration.ofSeconds(60));
      assertThat(ackNanos).as("acknowledged writes before the kill").isNotEmpty();
      int victimId = leaderOfPartitionZero(topics.events());
      int controllerId;
      try (Admin admin = admin()) {
        controllerId = admin.describeMetadataQuorum().quorumInfo().get().leaderId();
      }
      KafkaChildProcess victim = cluster.node(victimId);
      int ackedBefore = ackNanos.size();
      long killedAt = System.nanoTime();
      victim.kill();
      sleep(AFTER_KILL.toMillis());
      awaitCount(ackNanos, ackedBefore + WARM_UP_ACKS, Duration.ofSeconds(50));
      running.set(false);
      for (Thread t : threads) {
        t.join(60_000);
      }
      readerThread.join(60_000);

      List<Long> times = new ArrayList<>(ackNanos);
      times.sort(Long::compare);
      long pause = longestGap(times, killedAt - TimeUnit.SECONDS.toNanos(1));
      long lastBeforeKill = times.stream().filter(t -> t < killedAt).max(Long::compare).orElse(killedAt);
      long firstAfterKill = times.stream().filter(t -> t > killedAt).findFirst().orElse(Long.MAX_VALUE);
      long ackedAfter = times.stream().filter(t -> t > killedAt).count();
      long worstWriter = 0;
      for (long gap : longestPerWriter) {
        worstWriter = Math.max(worstWriter, gap);
      }
      System.out.printf("broker loss: killed node %d (leader of %s-0%s) with SIGKILL after %d acknowledged writes;%n"
              + "  acknowledged writes: %d in all, %d after the kill; refused (not acknowledged): %s%n"
              + "  write pause (longest gap between acknowledged writes from 1 s before the kill on): %d ms;%n"
              + "  last ack before the kill to first ack after it: %d ms; longest gap seen by one writer: %d ms%n"
              + "  reads (List) during the run: %d, failed: %d, slowest: %d ms%n",
          victimId, topics.events(), victimId == controllerId ? ", and the active controller" : "; controller: node " + controllerId,
          ackedBefore, times.size(), ackedAfter, new TreeMap<>(counts(refused)),
          ms(pause), ms(firstAfterKill == Long.MAX_VALUE ? 0 : firstAfterKill - lastBeforeKill), ms(worstWriter),
          reads.get(), failedReads.size(), ms(slowestRead[0]));

      assertThat(victim.isAlive()).isFalse();
      assertThat(failedReads).as("List answered throughout").isEmpty();
      assertThat(ackedAfter).as("writes resumed after the broker died").isGreaterThan(WRITERS);
      assertThat(Duration.ofNanos(pause)).as("the write pause (generous bound)").isLessThan(Duration.ofSeconds(30));
      assertEveryAcknowledgedWriteListed(server.port(), acked, "the instance that took the writes");

      // and from the log itself: a fresh instance replays it from the two brokers left
      try (DiscoveryServer fresh = DiscoveryServer.start(
          TestServers.config(cluster.bootstrapServers(), log, "after-broker-loss"))) {
        assertEveryAcknowledgedWriteListed(fresh.port(), acked, "a fresh instance on the log");
      }
    }
  }

  private void assertEveryAcknowledgedWriteListed(int port, Map<String, Set<String>> acked, String who) {
    try (ApiClient client = new ApiClient(vertx, port)) {
      int total = 0;
      for (Map.Entry<String, Set<String>> e : acked.entrySet()) {
        Set<String> listed = new HashSet<>();
        client.list(e.getKey()).ok().getAffiliatesList().forEach(a -> listed.add(a.getId()));
        assertThat(listed).as("%s: cluster %s", who, e.getKey()).containsAll(e.getValue());
        total += e.getValue().size();
      }
      assertThat(total).isGreaterThan(WRITERS);
    }
  }

  private static void assertReplicatedAsTheClusterAllows(String topic, int replicas, String minInsync) throws Exception {
    try (Admin admin = admin()) {
      TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
      assertThat(d.partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(replicas));
      ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      assertThat(admin.describeConfigs(List.of(r)).all().get().get(r).get("min.insync.replicas").value())
          .isEqualTo(minInsync);
    }
  }

  private static int leaderOfPartitionZero(String topic) throws Exception {
    try (Admin admin = admin()) {
      TopicPartitionInfo p0 = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().get(0);
      return p0.leader().id();
    }
  }

  /** The longest time between two consecutive acknowledgements at or after {@code from}. */
  static long longestGap(List<Long> sortedNanos, long from) {
    long longest = 0;
    Long previous = null;
    for (long t : sortedNanos) {
      if (t < from) {
        previous = t;
        continue;
      }
      if (previous != null) {
        longest = Math.max(longest, t - previous);
      }
      previous = t;
    }
    return longest;
  }

  private static Map<GrpcStatus, Integer> counts(Map<GrpcStatus, AtomicInteger> m) {
    Map<GrpcStatus, Integer> out = new HashMap<>();
    m.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  private static Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
  }

  /** Waits until {@code queue} holds {@code count} elements, or {@code limit} has passed. */
  private static void awaitCount(ConcurrentLinkedQueue<?> queue, int count, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (queue.size() < count && System.nanoTime() < deadline) {
      sleep(50);
    }
  }

  private static Thread started(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.start();
    return t;
  }

  private static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
