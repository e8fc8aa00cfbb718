package io.spanlog.discovery.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.discovery.api.Affiliate;
import io.spanlog.discovery.log.DiscoveryTopics;
import io.spanlog.discovery.log.KafkaSettings;
import io.spanlog.infra.BrokerSettings;
import io.spanlog.infra.testing.FreePorts;
import io.spanlog.infra.testing.KafkaChildProcess;
import io.spanlog.infra.testing.TempDirs;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A projection that dies does not pretend: {@code ./spanlog discovery} in a child JVM, on a broker
 * of its own, whose dead-letter topic refuses records (an operator set its {@code max.message.bytes}
 * too low) when a poison record arrives. The fold cannot go past the record without losing it, so
 * it stops; after its restarts the instance says "not live" on {@code /healthz/live}, ends its
 * Watch with UNAVAILABLE and a sentence, fails the write waiting behind the poison with
 * UNAVAILABLE, gives its expiry partitions to the other instance and exits 1.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ProjectionFailureIT {
  static final Duration TTL = Duration.ofMinutes(30);

  Path kafkaData;
  KafkaChildProcess kafka;
  Vertx vertx;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void startBroker() {
    kafkaData = TempDirs.create("spanlog-projection-failure-");
    kafka = KafkaChildProcess.start(new BrokerSettings(FreePorts.next(), FreePorts.next(), kafkaData));
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stopBroker() {
    vertx.close().await();
    kafka.kill();
    TempDirs.deleteRecursively(kafkaData);
  }

  @Test
  void aProjectionThatCannotGoOnSaysNotLiveEndsItsCallsReleasesItsPartitionsAndExitsNonZero() throws Exception {
    String bootstrap = kafka.bootstrapServers();
    DiscoveryTopics topics = DiscoveryTopics.catalogue();
    try (ChildProcess child = ChildProcess.main("--bootstrap", bootstrap, "--addr", "127.0.0.1:0",
        "--metrics-addr", "127.0.0.1:0", "--partitions", "3", "--gc-interval", "300ms", "--snapshot-interval", "1s",
        "--rate-limit", "100000", "--rate-burst", "100000", "--instance-id", "doomed")) {
      int port = child.awaitPort();
      int metricsPort = child.awaitMetricsPort();
      assertThat(get(metricsPort, "/healthz/live").statusCode()).isEqualTo(200);
      assertThat(get(metricsPort, "/healthz/ready").statusCode()).isEqualTo(200);
      assertThat(get(metricsPort, "/healthz").body()).contains("\"live\":true,\"ready\":true");

      // the other instance folds the same log and takes part in expiry; its dead letters go elsewhere
      DiscoveryConfig other = DiscoveryConfig.defaults(bootstrap, "survivor").withPorts("127.0.0.1", 0, -1)
          .withTopicNames(new DiscoveryTopics(topics.events(), topics.snapshots(), "survivor.dead-letter", topics.telemetry(),
              topics.checkpoints()),
              DiscoveryConfig.DEFAULT_GC_GROUP)
          .withGc(Duration.ofMillis(300), Duration.ofSeconds(1))
          .withRateLimit(100_000, 100_000);
      try (DiscoveryServer survivor = DiscoveryServer.start(other);
          ApiClient onChild = new ApiClient(vertx, port);
          ApiClient onSurvivor = new ApiClient(vertx, survivor.port())) {
        await("both instances own expiry partitions", () -> survivor.ownedPartitions().size() == 1 || survivor.ownedPartitions().size() == 2, child);
        Watcher watch = onChild.watch("victim");
        assertThat(watch.next().getAffiliatesCount()).isZero();
        onChild.update("victim", "before", "fine", TTL).ok();
        assertThat(watch.next().getAffiliatesList()).extracting(Affiliate::getId).containsExactly("before");

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
            KafkaProducer<byte[], byte[]> poisoner = new KafkaProducer<>(KafkaSettings.producer(bootstrap, "poisoner"))) {
          admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topics.deadLetter()),
              List.of(new AlterConfigOp(new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "64"), AlterConfigOp.OpType.SET))))
              .all().get(30, TimeUnit.SECONDS);
          byte[] garbage = new byte[1024];
          Arrays.fill(garbage, (byte) 0xff);
          poisoner.send(new ProducerRecord<>(topics.events(), "victim".getBytes(StandardCharsets.UTF_8), garbage)).get(30, TimeUnit.SECONDS);
        }
        long poisoned = System.nanoTime();
        // appended behind the poison on the same partition: never applied on the child
        CompletableFuture<ApiClient.Reply<?>> waitingWrite =
            CompletableFuture.supplyAsync(() -> onChild.update("victim", "behind", "stuck", TTL));

        await("/healthz/live says 503", () -> statusOf(metricsPort, "/healthz/live") == 503, child);
        System.out.printf("projection failure: not live %d ms after the poison record%n", millisSince(poisoned));

        Watcher.End end = watch.awaitEnd();
        assertThat(end.status()).as("%s; child output:\n%s", end, child.output()).isEqualTo(GrpcStatus.UNAVAILABLE);
        assertThat(end.message()).as("%s; child output:\n%s", end, child.output()).contains("stopped following the event log");
        ApiClient.Reply<?> write = waitingWrite.get(30, TimeUnit.SECONDS);
        assertThat(write.status()).as(write.message()).isEqualTo(GrpcStatus.UNAVAILABLE);
        assertThat(write.message()).contains("stopped following the event log");

        OptionalInt exit = child.awaitExit(60);
        assertThat(exit).as("the child exits; its output:\n%s", child.output()).isPresent();
        long exitedAt = System.nanoTime();
        assertThat(exit.getAsInt()).as(child.output()).isEqualTo(1);
        assertThat(child.output()).contains("projection stopped: ")
            .contains("spanlog discovery: the projection of the event log stopped and did not recover after 3 restarts");
        System.out.printf("projection failure: exit code %d %d ms after the poison record%n", exit.getAsInt(), millisSince(poisoned));

        await("the survivor owns every partition", () -> survivor.ownedPartitions().size() == 3, child);
        System.out.printf("projection failure: the survivor owned all 3 partitions %d ms after the child exited%n",
            millisSince(exitedAt));
        // the survivor dead-lettered the poison and folded on: both writes are there
        assertThat(onSurvivor.list("victim").ok().getAffiliatesList()).extracting(Affiliate::getId)
            .containsExactlyInAnyOrder("before", "behind");
      }
    }
  }

  private HttpResponse<String> get(int port, String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError("GET " + path + " on port " + port + ": " + e, e);
    }
  }

  /** The status of GET {@code path}, or -1 when no answer came (the machine may be busy: ask again). */
  private int statusOf(int port, String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (java.io.IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }

  static void await(String what, BooleanSupplier condition, ChildProcess child) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what + "; child output:\n" + child.output());
      }
      Thread.sleep(20);
    }
  }
}
