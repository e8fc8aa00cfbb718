package io.spanlog.discovery.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.spanlog.discovery.api.Affiliate;
import io.spanlog.discovery.api.AffiliateUpdateRequest;
import io.spanlog.discovery.api.AffiliateUpdateResponse;
import io.spanlog.discovery.api.ClusterGrpcClient;
import io.spanlog.infra.BrokerSettings;
import io.spanlog.infra.testing.FreePorts;
import io.spanlog.infra.testing.KafkaChildProcess;
import io.spanlog.infra.testing.TempDirs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Kafka stops under a running discovery service: writes answer UNAVAILABLE within their deadline
 * with a sentence saying whether they were stored, the service keeps answering everything else
 * meanwhile, and what it called "not stored" is indeed absent once Kafka is back.
 *
 * <p>A real broker in a child JVM (stopped as an operator would), real gRPC clients that enforce
 * their deadlines, and two instances: one that never wrote before the outage (its producer has no
 * metadata for the events topic, so a send would block for {@code max.block.ms}), one that did.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class EventLogOutageIT {
  static final String NOT_STORED = "the event log (Kafka) is unavailable; the write was not stored";
  static final String MAYBE_STORED = "the event log (Kafka) did not confirm the write in time; it may still be stored";
  static final Duration WRITE_DEADLINE = Duration.ofSeconds(4);

  static AffiliateUpdateRequest update(String affiliate) {
    return AffiliateUpdateRequest.newBuilder().setClusterId("outage").setAffiliateId(affiliate)
        .setAffiliateData(ByteString.copyFromUtf8("data-" + affiliate))
        .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(1800)).build();
  }

  static Future<ApiClient.Reply<AffiliateUpdateResponse>> write(ApiClient c, String affiliate, Duration deadline) {
    return c.callAsync(ClusterGrpcClient.AffiliateUpdate, update(affiliate), Map.of(), deadline);
  }

  /** A write during the outage, with a Hello on the same server while it waits. */
  static ApiClient.Reply<AffiliateUpdateResponse> writeWhileHelloAnswers(ApiClient c, String affiliate) throws Exception {
    var w = write(c, affiliate, WRITE_DEADLINE);
    Thread.sleep(300); // the write is waiting for Kafka now
    var hello = c.callAsync(ClusterGrpcClient.Hello, io.spanlog.discovery.api.HelloRequest.newBuilder().setClusterId("outage").build(),
        Map.of(), Duration.ofSeconds(2)).await(30, TimeUnit.SECONDS);
    assertThat(hello.status()).as("a Hello while a write waits for Kafka: %s %s", hello.status(), hello.message()).isEqualTo(GrpcStatus.OK);
    assertThat(w.isComplete()).as("the write still waits while Hello answered").isFalse();
    // the client enforces its deadline: a status here is an answer within it
    return w.await(30, TimeUnit.SECONDS);
  }

  static Set<String> listed(ApiClient c) {
    return c.list("outage").ok().getAffiliatesList().stream().map(Affiliate::getId).collect(Collectors.toSet());
  }

  static void writeUntilOk(ApiClient c, String affiliate) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      var r = write(c, affiliate, Duration.ofSeconds(10)).await(30, TimeUnit.SECONDS);
      if (r.status() == GrpcStatus.OK) {
        return;
      }
      assertThat(System.nanoTime()).as("writes succeed again within 120 s of Kafka's restart (last: %s %s)", r.status(), r.message())
          .isLessThan(deadline);
      Thread.sleep(500);
    }
  }

  @Test
  void writesAnswerUnavailableInTimeSayingWhetherStoredAndTheServiceKeepsAnswering() throws Exception {
    Path data = TempDirs.create("spanlog-outage-kafka-");
    int[] ports = FreePorts.pair();
    BrokerSettings settings = new BrokerSettings(ports[0], ports[1], data);
    KafkaChildProcess broker = KafkaChildProcess.start(settings);
    String log = TestServers.newLog();
    Vertx vertx = Vertx.vertx();
    DiscoveryServer fresh = null;
    DiscoveryServer used = null;
    try {
      fresh = DiscoveryServer.start(TestServers.config(broker.bootstrapServers(), log, "fresh"));
      used = DiscoveryServer.start(TestServers.config(broker.bootstrapServers(), log, "used"));
      ApiClient toFresh = new ApiClient(vertx, fresh.port());
      ApiClient toUsed = new ApiClient(vertx, used.port());
      toUsed.update(update("before")).ok();

      broker.stop();

      // an instance whose producer never saw the topic: its send would wait for metadata
      var first = writeWhileHelloAnswers(toFresh, "fresh-during");
      assertThat(first.status()).as("%s %s", first.status(), first.message()).isEqualTo(GrpcStatus.UNAVAILABLE);
      assertThat(first.message()).isEqualTo(NOT_STORED);

      // an instance that wrote before: the record goes to the producer, which cannot deliver it
      var handed = writeWhileHelloAnswers(toUsed, "used-during-1");
      assertThat(handed.status()).as("%s %s", handed.status(), handed.message()).isEqualTo(GrpcStatus.UNAVAILABLE);
      assertThat(handed.message()).isIn(MAYBE_STORED, NOT_STORED);
      // now the log is known stalled: the next write is held back, and is not stored
      var heldBack = writeWhileHelloAnswers(toUsed, "used-during-2");
      assertThat(heldBack.status()).as("%s %s", heldBack.status(), heldBack.message()).isEqualTo(GrpcStatus.UNAVAILABLE);
      assertThat(heldBack.message()).isEqualTo(NOT_STORED);
      assertThat(listed(toUsed)).as("reads keep answering from the projection").contains("before");

      broker = KafkaChildProcess.start(settings);
      writeUntilOk(toUsed, "used-after");
      writeUntilOk(toFresh, "fresh-after");
      // written through the other instance: this one lists it once its projection folded it
      Set<String> after = listed(toUsed);
      for (long deadline = System.nanoTime() + 30_000_000_000L;
          !after.contains("fresh-after") && System.nanoTime() < deadline; after = listed(toUsed)) {
        Thread.sleep(100);
      }
      System.out.println("after the outage: " + after + " (used-during-1 was reported " + handed.message() + ")");
      assertThat(after).contains("before", "used-after", "fresh-after");
      assertThat(after).as("writes reported as not stored").doesNotContain("fresh-during", "used-during-2");
      if (handed.message().equals(NOT_STORED)) {
        assertThat(after).doesNotContain("used-during-1");
      }
      toFresh.close();
      toUsed.close();
    } finally {
      if (fresh != null) {
        fresh.close();
      }
      if (used != null) {
        used.close();
      }
      broker.close();
      vertx.close().await();
      TempDirs.deleteRecursively(data);
    }
  }
}
