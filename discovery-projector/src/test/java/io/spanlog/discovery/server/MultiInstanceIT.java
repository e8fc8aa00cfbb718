package io.spanlog.discovery.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.discovery.ClusterState;
import io.spanlog.discovery.api.Affiliate;
import io.spanlog.discovery.log.KafkaSettings;
import io.spanlog.kafka.DeadLetterRouter;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Several instances on one log; restart from snapshots; poison records. */
class MultiInstanceIT {
  static final Duration TTL = Duration.ofMinutes(30);

  final List<AutoCloseable> open = new ArrayList<>();
  Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    vertx.close().await();
  }

  <T extends AutoCloseable> T keep(T c) {
    open.add(c);
    return c;
  }

  @Test
  void aWriteOnOneInstanceReachesTheOthersWatchAndList() throws Exception {
    String log = TestServers.newLog();
    DiscoveryServer a = keep(DiscoveryServer.start(TestServers.config(log, "a")));
    DiscoveryServer b = keep(DiscoveryServer.start(TestServers.config(log, "b")));
    ApiClient ca = keep(new ApiClient(vertx, a.port()));
    ApiClient cb = keep(new ApiClient(vertx, b.port()));

    Watcher onB = cb.watch("shared");
    assertThat(onB.next().getAffiliatesCount()).isZero();
    assertThat(cb.list("shared").ok().getAffiliatesList()).isEmpty();
    ca.update("shared", "n1", "hello", TTL).ok();
    assertThat(ca.list("shared").ok().getAffiliatesList()).as("read-your-writes on A").extracting(Affiliate::getId)
        .containsExactly("n1");
    assertThat(onB.next().getAffiliatesList()).extracting(Affiliate::getId).containsExactly("n1");
    // B announced it, so B's projection holds it: List on B answers it, with the data written on A
    assertThat(cb.list("shared").ok().getAffiliatesList()).singleElement().satisfies(n1 -> {
      assertThat(n1.getId()).isEqualTo("n1");
      assertThat(n1.getData().toStringUtf8()).isEqualTo("hello");
    });
    cb.delete("shared", "n1").ok();
    assertThat(onB.next().getDeleted()).isTrue();
    onB.cancel();
    // and the other way round: the delete written on B leaves A's List empty (A catches up from the log)
    long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    while (!ca.list("shared").ok().getAffiliatesList().isEmpty() && System.nanoTime() < end) {
      Thread.sleep(50);
    }
    assertThat(ca.list("shared").ok().getAffiliatesList()).as("List on A after the delete on B").isEmpty();

    // every partition has exactly one GC owner among the two
    for (int i = 0; i < 100 && a.ownedPartitions().size() + b.ownedPartitions().size() != 3; i++) {
      Thread.sleep(100);
    }
    java.util.Set<Integer> both = new java.util.HashSet<>(a.ownedPartitions());
    both.retainAll(b.ownedPartitions());
    assertThat(both).as("partitions owned by both").isEmpty();
    assertThat(a.ownedPartitions().size() + b.ownedPartitions().size()).isEqualTo(3);
  }

  /**
   * kill -9 of the instance that owns a partition's expiry: the other instance is given that
   * partition once the dead one's group session times out (10 s) and expires what is due there.
   */
  @Test
  void whenTheExpiryOwnerIsKilledAnotherInstanceTakesItsPartitionsAndExpiresWhatIsDue() throws Exception {
    String log = TestServers.newLog();
    try (ChildProcess owner = ChildProcess.start(TestServers.bootstrap(), log, "owner")) {
      ApiClient onOwner = keep(new ApiClient(vertx, owner.awaitPort()));
      DiscoveryServer other = keep(DiscoveryServer.start(TestServers.config(log, "other")));
      ApiClient onOther = keep(new ApiClient(vertx, other.port()));
      for (int i = 0; i < 300 && (other.ownedPartitions().isEmpty() || other.ownedPartitions().size() == 3); i++) {
        Thread.sleep(100);
      }
      Set<Integer> ownersPartitions = new HashSet<>(Set.of(0, 1, 2));
      ownersPartitions.removeAll(other.ownedPartitions());
      assertThat(ownersPartitions).as("the child owns some partitions, the other instance the rest").isNotEmpty().hasSizeLessThan(3);
      String cluster = IntStream.range(0, 100).mapToObj(i -> "failover-" + i)
          .filter(c -> ownersPartitions.contains(Utils.toPositive(Utils.murmur2(c.getBytes(StandardCharsets.UTF_8))) % 3))
          .findFirst().orElseThrow();
      // long enough that the owner cannot expire it before the kill, also on a busy machine (checked below)
      onOwner.update(cluster, "short-lived", "soon gone", Duration.ofSeconds(20)).ok();
      onOwner.update(cluster, "long-lived", "stays", TTL).ok();
      awaitListed(onOther, cluster, "long-lived", "short-lived");

      owner.kill();
      long killed = System.nanoTime();
      // nobody expired it before the kill, and nobody but the other instance can from now on
      assertThat(onOther.list(cluster).ok().getAffiliatesList()).extracting(Affiliate::getId).contains("short-lived");
      for (int i = 0; i < 600 && other.ownedPartitions().size() < 3; i++) { // the session timeout is 10 s
        Thread.sleep(100);
      }
      assertThat(other.ownedPartitions()).as("the survivor owns every partition within 60 s").hasSize(3);
      long tookOver = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
      awaitListed(onOther, cluster, "long-lived");
      System.out.printf("expiry failover: partitions taken over %d ms after kill -9 (session timeout 10 s), "
          + "the due affiliate expired %d ms after it%n", tookOver, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
    }
  }

  /** Waits (60 s at most) until List on {@code client} shows exactly {@code ids}. */
  static void awaitListed(ApiClient client, String cluster, String... ids) throws InterruptedException {
    List<String> listed = List.of();
    for (int i = 0; i < 600; i++) {
      listed = client.list(cluster).ok().getAffiliatesList().stream().map(Affiliate::getId).toList();
      if (new HashSet<>(listed).equals(Set.of(ids))) {
        return;
      }
      Thread.sleep(100);
    }
    assertThat(listed).as("listed in %s within 60 s", cluster).containsExactlyInAnyOrder(ids);
  }

  @Test
  void restartFromSnapshotsPlusTailEqualsAFullReplay() throws Exception {
    String log = TestServers.newLog();
    DiscoveryServer first = DiscoveryServer.start(TestServers.config(log, "first"));
    try (ApiClient c = new ApiClient(vertx, first.port())) {
      for (int i = 0; i < 300; i++) {
        c.update("cluster-" + (i % 7), "n" + (i % 40), i % 3 == 0 ? null : "d" + i, TTL,
            com.google.protobuf.ByteString.copyFrom(new byte[] {(byte) (i % 11), 1})).ok();
        if (i % 13 == 0) {
          c.delete("cluster-" + (i % 7), "n" + ((i + 5) % 40)).ok();
        }
      }
      Thread.sleep(2500); // a snapshot interval (1 s) has passed: the owner wrote snapshots
      for (int i = 0; i < 100; i++) { // the tail after the snapshots
        c.update("cluster-" + (i % 5), "t" + i, "tail" + i, TTL).ok();
      }
    } finally {
      first.close(); // a graceful stop also writes final snapshots; the kill test covers none
    }
    Map<String, ClusterState> replay = LogReplay.fullReplay(TestServers.bootstrap(), log + ".events");
    assertThat(replay).hasSize(7);

    DiscoveryServer restarted = keep(DiscoveryServer.start(TestServers.config(log, "restarted")));
    assertThat(restarted.snapshotsLoaded()).as("partitions restored from snapshots").isPositive();
    assertThat(restarted.state()).isEqualTo(replay);
  }

  @Test
  void aPoisonRecordGoesToTheDeadLetterTopicAndTheProjectionGoesOn() throws Exception {
    String log = TestServers.newLog();
    DiscoveryServer s = keep(DiscoveryServer.start(TestServers.config(log, "p")));
    ApiClient c = keep(new ApiClient(vertx, s.port()));
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(KafkaSettings.producer(TestServers.bootstrap(), "poisoner"))) {
      p.send(new ProducerRecord<>(log + ".events", "victim".getBytes(StandardCharsets.UTF_8),
          "{\"type\":\"affiliate.updated\",\"schema\":99,\"id\":\"x\",\"cluster\":\"victim\",\"subject\":\"a\",\"at\":\"2026-01-01T00:00:00Z\",\"producer\":\"evil\",\"payload\":{}}".getBytes(StandardCharsets.UTF_8))).get();
      p.send(new ProducerRecord<>(log + ".events", "victim".getBytes(StandardCharsets.UTF_8),
          new byte[] {0, 1, 2, (byte) 0xff})).get();
    }
    c.update("victim", "after", "still works", TTL).ok();
    assertThat(c.list("victim").ok().getAffiliatesList()).extracting(Affiliate::getId).containsExactly("after");

    List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> dl = new KafkaConsumer<>(KafkaSettings.reader(TestServers.bootstrap(), "dl-check"))) {
      TopicPartition tp = new TopicPartition(log + ".dead-letter", 0);
      dl.assign(List.of(tp));
      dl.seekToBeginning(List.of(tp));
      for (int i = 0; i < 50 && dead.size() < 2; i++) {
        dl.poll(Duration.ofMillis(200)).forEach(dead::add);
      }
    }
    assertThat(dead).hasSize(2);
    assertThat(new String(dead.get(0).headers().lastHeader(DeadLetterRouter.HEADER_PROBLEM).value(), StandardCharsets.UTF_8))
        .isEqualTo("UNKNOWN_SCHEMA");
    assertThat(new String(dead.get(1).headers().lastHeader(DeadLetterRouter.HEADER_PROBLEM).value(), StandardCharsets.UTF_8))
        .isEqualTo("MALFORMED_JSON");
  }
}
