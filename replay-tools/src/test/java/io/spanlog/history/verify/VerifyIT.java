package io.spanlog.history.verify;

import io.spanlog.ctl.CtlRun;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.spanlog.ctl.CtlMain;
import io.spanlog.discovery.api.AffiliateDeleteRequest;
import io.spanlog.discovery.api.AffiliateUpdateRequest;
import io.spanlog.discovery.api.ClusterGrpcClient;
import io.spanlog.discovery.log.DiscoveryTopics;
import io.spanlog.discovery.log.KafkaSettings;
import io.spanlog.discovery.log.SnapshotStore;
import io.spanlog.discovery.server.DiscoveryConfig;
import io.spanlog.discovery.server.DiscoveryServer;
import io.spanlog.events.AffiliateDeleted;
import io.spanlog.events.AffiliateUpdated;
import io.spanlog.events.Blob;
import io.spanlog.events.Envelope;
import io.spanlog.events.EventCodec;
import io.spanlog.infra.testing.FreePorts;
import io.spanlog.infra.testing.KafkaFixture;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code ctl history verify} against a real discovery service on a real broker: affiliates
 * written over gRPC (one expiring while the tests run, one deleted), the service's own snapshots;
 * then the log against the live List, and against a copy of the events topic with one record
 * altered and one dropped.
 */
class VerifyIT {
  private static final int PARTITIONS = 3;
  private static final String C1 = "verify-c1-" + UUID.randomUUID();
  private static final String C2 = "verify-c2-" + UUID.randomUUID();
  private static KafkaFixture kafka;
  private static DiscoveryServer discovery;
  private static DiscoveryTopics topics;
  private static Vertx vertx;

  @BeforeAll
  static void startServiceAndWrite() throws Exception {
    kafka = KafkaFixture.shared();
    String prefix = "verify-it-" + UUID.randomUUID().toString().substring(0, 8);
    topics = DiscoveryTopics.prefixed(prefix);
    discovery = DiscoveryServer.start(DiscoveryConfig.defaults(kafka.bootstrapServers(), "verify-it")
        .withPorts("127.0.0.1", 0, -1).withTopics(prefix, PARTITIONS)
        .withGc(Duration.ofSeconds(1), Duration.ofSeconds(2)));
    vertx = Vertx.vertx();
    GrpcClient grpc = GrpcClient.client(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false));
    ClusterGrpcClient api = ClusterGrpcClient.create(grpc, SocketAddress.inetSocketAddress(discovery.port(), "127.0.0.1"));
    update(api, C1, "a1", "data-a1-v1", Duration.ofMinutes(30), "e1", "e2");
    update(api, C1, "a1", "data-a1-v2", Duration.ofMinutes(30), "e3");
    update(api, C1, "a2", "data-a2", Duration.ofMinutes(30));
    update(api, C1, "a3", "data-a3-short", Duration.ofSeconds(4)); // expires while the tests run
    update(api, C2, "b1", "data-b1", Duration.ofMinutes(30), "e9");
    api.affiliateDelete(AffiliateDeleteRequest.newBuilder().setClusterId(C1).setAffiliateId("a2").build())
        .await(20, TimeUnit.SECONDS);
    grpc.close();
    // the service's own snapshots (every 2 s): verify compares the log with them too
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (new SnapshotStore(KafkaSettings.of(kafka.bootstrapServers()), topics.snapshots(), null).loadAll().isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the discovery service wrote no snapshot within 60 s");
      }
      Thread.sleep(500);
    }
  }

  @AfterAll
  static void stop() {
    if (discovery != null) {
      discovery.close();
    }
    if (vertx != null) {
      vertx.close();
    }
  }

  private static void update(ClusterGrpcClient api, String cluster, String id, String data, Duration ttl,
      String... endpoints) throws Exception {
    AffiliateUpdateRequest.Builder r = AffiliateUpdateRequest.newBuilder().setClusterId(cluster).setAffiliateId(id)
        .setAffiliateData(ByteString.copyFromUtf8(data))
        .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(ttl.getSeconds()));
    for (String e : endpoints) {
      r.addAffiliateEndpoints(ByteString.copyFromUtf8(e));
    }
    api.affiliateUpdate(r.build()).await(20, TimeUnit.SECONDS);
  }

  private static String service() {
    return "http://127.0.0.1:" + discovery.port() + "/";
  }

  @Test
  void theLogAndTheLiveServiceAgreeWithNoDifference() {
    CtlRun run = CtlRun.of("history", "verify", "--all", "--discovery", service(), "--bootstrap", kafka.bootstrapServers(),
        "--events-topic", topics.events(), "--snapshots-topic", topics.snapshots());
    System.out.println("ctl history verify --all:\n" + run.out() + run.err());
    assertThat(run.code()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("no difference").doesNotContain("no snapshot");
    assertThat(run.out()).containsPattern("(\\d+) cluster\\(s\\) verified");

    CtlRun one = CtlRun.of("history", "verify", "--cluster", C2, "--discovery", service(), "--bootstrap",
        kafka.bootstrapServers(), "--events-topic", topics.events(), "--snapshots-topic", topics.snapshots());
    assertThat(one.code()).as(one.out() + one.err()).isZero();
    assertThat(one.out()).contains("1 cluster(s) verified");
  }

  @Test
  void aRecordAlteredAndOneDroppedInACopyOfTheLogAreFound() throws Exception {
    String copy = copyEvents(envelope -> {
      if (envelope.payload() instanceof AffiliateDeleted d && d.affiliateId().equals("a2")) {
        return Optional.empty(); // dropped: the copy still has a2
      }
      if (envelope.payload() instanceof AffiliateUpdated u && u.affiliateId().equals("a1")
          && u.data().map(b -> new String(b.toByteArray(), StandardCharsets.UTF_8)).orElse("").equals("data-a1-v2")) {
        return Optional.of(new Envelope(envelope.eventId(), envelope.clusterId(), envelope.subject(), envelope.at(),
            envelope.producer(), new AffiliateUpdated(u.affiliateId(),
                Optional.of(Blob.of("data-a1-FORGED".getBytes(StandardCharsets.UTF_8))), u.endpoints(), u.ttl(),
                u.origin())));
      }
      return Optional.of(envelope);
    });
    CtlRun run = CtlRun.of("history", "verify", "--cluster", C1, "--discovery", service(), "--bootstrap", kafka.bootstrapServers(),
        "--events-topic", copy, "--snapshots-topic", topics.snapshots());
    System.out.println("ctl history verify against a doctored copy:\n" + run.out() + run.err());
    assertThat(run.code()).as(run.out() + run.err()).isEqualTo(3);
    List<String> rows = run.out().lines().toList();
    assertThat(rows).anySatisfy(r -> assertThat(r.split("\\s{3,}"))
        .startsWith(C1, "a1", "data").contains(ProjectionDiff.describe(Blob.of("data-a1-FORGED".getBytes(StandardCharsets.UTF_8))),
            ProjectionDiff.describe(Blob.of("data-a1-v2".getBytes(StandardCharsets.UTF_8)))));
    assertThat(rows).anySatisfy(r -> assertThat(r.split("\\s{3,}")).containsExactly(C1, "a2", "affiliate", "present", "absent"));
    assertThat(run.out()).contains("log vs the service's List").doesNotContain("data-a1");

    CtlRun json = CtlRun.of("history", "verify", "--cluster", C1, "--discovery", service(), "--bootstrap", kafka.bootstrapServers(),
        "--events-topic", copy, "--snapshots-topic", topics.snapshots(), "-o", "json");
    assertThat(json.code()).isEqualTo(3);
    assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out()).path("againstService"))
        .anySatisfy(d -> assertThat(d.path("field").asText()).isEqualTo("data"));
  }

  @Test
  void anUnknownClusterIsOneSentenceAndExit1() {
    CtlRun run = CtlRun.of("history", "verify", "--cluster", "no-such-cluster", "--discovery", service(), "--bootstrap",
        kafka.bootstrapServers(), "--events-topic", topics.events(), "--snapshots-topic", topics.snapshots());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err().lines().toList()).hasSize(1).first().asString()
        .startsWith("spanlog ctl: the log (" + topics.events() + ") has no event of cluster 'no-such-cluster'");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void aServiceThatDoesNotAnswerIsOneSentenceAndExit1() {
    String nowhere = "http://127.0.0.1:" + FreePorts.next() + "/";
    CtlRun run = CtlRun.of("history", "verify", "--cluster", C2, "--discovery", nowhere, "--bootstrap", kafka.bootstrapServers(),
        "--events-topic", topics.events(), "--snapshots-topic", topics.snapshots());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err().lines().toList()).hasSize(1).first().asString()
        .startsWith("spanlog ctl: cannot List cluster '" + C2 + "' at the discovery service " + nowhere);
  }

  /** A copy of the events topic, partition for partition, each event passed through {@code edit}. */
  private static String copyEvents(java.util.function.Function<Envelope, Optional<Envelope>> edit) throws Exception {
    String copy = topics.events() + "-copy-" + UUID.randomUUID().toString().substring(0, 8);
    try (Admin admin = kafka.newAdmin()) {
      admin.createTopics(List.of(new NewTopic(copy, Optional.of(PARTITIONS), Optional.empty()))).all().get();
    }
    try (KafkaConsumer<byte[], byte[]> in = new KafkaConsumer<>(KafkaSettings.reader(kafka.bootstrapServers(), "copy"));
        KafkaProducer<byte[], byte[]> out = new KafkaProducer<>(kafka.producerConfig())) {
      List<TopicPartition> parts = new ArrayList<>();
      for (int p = 0; p < PARTITIONS; p++) {
        parts.add(new TopicPartition(topics.events(), p));
      }
      in.assign(parts);
      in.seekToBeginning(parts);
      var end = in.endOffsets(parts);
      while (parts.stream().anyMatch(tp -> in.position(tp) < end.get(tp))) {
        for (ConsumerRecord<byte[], byte[]> r : in.poll(Duration.ofMillis(500))) {
          Optional<Envelope> kept = edit.apply(EventCodec.decode(r.value()));
          if (kept.isPresent()) {
            out.send(new ProducerRecord<>(copy, r.partition(), r.timestamp(), r.key(), EventCodec.encode(kept.get()))).get();
          }
        }
      }
    }
    return copy;
  }
}
