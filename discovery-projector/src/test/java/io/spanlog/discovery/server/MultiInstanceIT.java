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
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
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
    ca.update("shared", "n1", "hello", TTL).ok();
    assertThat(onB.next().getAffiliatesList()).extracting(Affiliate::getId).containsExactly("n1");
    cb.delete("shared", "n1").ok();
    assertThat(onB.next().getDeleted()).isTrue();
    onB.cancel();

    // every partition has exactly one GC owner among the two
    for (int i = 0; i < 100 && a.ownedPartitions().size() + b.ownedPartitions().size() != 3; i++) {
      Thread.sleep(100);
    }
    java.util.Set<Integer> both = new java.util.HashSet<>(a.ownedPartitions());
    both.retainAll(b.ownedPartitions());
    assertThat(both).as("partitions owned by both").isEmpty();
    assertThat(a.ownedPartitions().size() + b.ownedPartitions().size()).isEqualTo(3);
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
