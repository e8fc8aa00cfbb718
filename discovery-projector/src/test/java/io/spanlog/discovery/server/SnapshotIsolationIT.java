package io.spanlog.discovery.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.discovery.log.DiscoveryTopics;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A snapshot being written never holds up a write: at fleet scale a partition's snapshot is
 * megabytes of chunk records, and while it goes out an AffiliateUpdate must still be acked and
 * reach the view. The snapshot store here is slow on purpose: its sends hang until the test lets
 * them go, as a producer's sends do once its buffer is full of a snapshot's chunks (every send
 * on that producer then waits in {@code send()} for room).
 *
 * <p>Before the snapshots had a producer of their own, the write below went through the very
 * producer the snapshot was stuck in and was not acked until the snapshot went out (this test
 * then times out on the ack).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SnapshotIsolationIT {

  /** A producer whose sends wait while any of its sends to the snapshot topic is held: a full buffer. */
  static final class Gated extends KafkaProducer<byte[], byte[]> {
    final String clientId;
    final String snapshotTopic;
    final CountDownLatch release;
    final CountDownLatch snapshotHeld;
    final Set<String> topicsSent = ConcurrentHashMap.newKeySet();
    private final Object buffer = new Object();

    Gated(Map<String, Object> settings, String snapshotTopic, CountDownLatch snapshotHeld, CountDownLatch release) {
      super(settings);
      this.clientId = String.valueOf(settings.get(ProducerConfig.CLIENT_ID_CONFIG));
      this.snapshotTopic = snapshotTopic;
      this.snapshotHeld = snapshotHeld;
      this.release = release;
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> r, Callback callback) {
      topicsSent.add(r.topic());
      synchronized (buffer) { // one buffer per producer: a send waits while another waits for room
        if (r.topic().equals(snapshotTopic) && release.getCount() > 0) {
          snapshotHeld.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        return super.send(r, callback);
      }
    }
  }

  @Test
  void aWriteIsAckedAndAppliedWhileASnapshotIsStuckInItsProducer() throws Exception {
    String log = TestServers.newLog();
    DiscoveryTopics topics = DiscoveryTopics.prefixed(log);
    CountDownLatch snapshotHeld = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Map<String, Gated> producers = new ConcurrentHashMap<>();
    DiscoveryServer server = DiscoveryServer.with(TestServers.config(log, "isolation"))
        .producers(settings -> {
          Gated g = new Gated(settings, topics.snapshots(), snapshotHeld, release);
          producers.put(g.clientId, g);
          return g;
        })
        .start();
    Vertx vertx = Vertx.vertx();
    try (ApiClient client = new ApiClient(vertx, server.port())) {
      assertThat(client.update("c1", "a1", "first", Duration.ofMinutes(5)).status()).isEqualTo(GrpcStatus.OK);
      // the owner snapshots every second: the first one that moved now hangs in its producer
      assertThat(snapshotHeld.await(30, TimeUnit.SECONDS)).as("a snapshot write started within 30 s").isTrue();

      var reply = client.update("c1", "a2", "second", Duration.ofMinutes(5));
      assertThat(reply.status()).as("acked while the snapshot is stuck: %s", reply.message()).isEqualTo(GrpcStatus.OK);
      assertThat(server.view().cluster("c1").size()).isEqualTo(2);
      assertThat(release.getCount()).as("the snapshot was still stuck").isEqualTo(1);
    } finally {
      release.countDown();
      server.close();
      vertx.close().await(10, TimeUnit.SECONDS);
    }
    Gated snapshots = producers.values().stream().filter(g -> g.topicsSent.contains(topics.snapshots())).findFirst().orElseThrow();
    assertThat(snapshots.topicsSent).as("the snapshot producer carries snapshots and checkpoints only")
        .doesNotContain(topics.events());
  }
}
