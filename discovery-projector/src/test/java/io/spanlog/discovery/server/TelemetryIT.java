package io.spanlog.discovery.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.spanlog.discovery.log.KafkaSettings;
import io.spanlog.events.EndpointSource;
import io.spanlog.events.Envelope;
import io.spanlog.events.EventCodec;
import io.spanlog.events.EventType;
import io.spanlog.events.HandshakeSampleBatch;
import io.spanlog.events.SealedSampleBatch;
import io.spanlog.telemetry.Opening;
import io.spanlog.telemetry.TelemetrySeal;
import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.events.PeerSample;
import io.spanlog.events.PeerState;
import io.spanlog.telemetry.api.ReportRequest;
import io.spanlog.telemetry.api.ReportResponse;
import io.spanlog.telemetry.api.TelemetryGrpcClient;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Spanlog's telemetry service on the discovery port: sealed reports land on the telemetry topic,
 * opaque; plaintext, badly framed and oversize ones are refused and never appended.
 */
class TelemetryIT {
  static String log;
  static DiscoveryServer server;
  static Vertx vertx;
  static ApiClient client;

  @BeforeAll
  static void start() throws Exception {
    log = TestServers.newLog();
    server = DiscoveryServer.start(TestServers.config(log, "telemetry"));
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

  static final String NODE_KEY = "Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGw=";
  static final ClusterSecret SECRET = ClusterSecret.fromBase64("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
  static final TelemetrySeal SEAL = new TelemetrySeal(SECRET);

  static HandshakeSampleBatch batch(String node) {
    return new HandshakeSampleBatch(node, NODE_KEY, true, List.of(
        new PeerSample("YmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGxmb28=", "node-b", Optional.of("203.0.113.9:51820"),
            EndpointSource.HARVESTED, 1, 3, Optional.of(Instant.parse("2026-11-25T10:10:00Z")),
            Optional.of(Instant.parse("2026-11-25T10:14:58.5Z")), 123_456_789_012L, 98_765L, PeerState.UP,
            "handshake 31.6 s ago, within 275 s")), Optional.of(Instant.parse("2026-11-25T10:15:00Z")));
  }

  static ApiClient.Reply<ReportResponse> report(ReportRequest request) {
    return client.call(TelemetryGrpcClient.Report, request, Map.of());
  }

  static ReportRequest sealed(String cluster, SealedSampleBatch batch) {
    return ReportRequest.newBuilder().setClusterId(cluster).setSchema(batch.schema())
        .setNodePublicKey(batch.nodePublicKey()).setSealedBatch(ByteString.copyFrom(batch.sealed().toByteArray())).build();
  }

  static ReportRequest plaintext(String cluster, HandshakeSampleBatch batch) {
    return ReportRequest.newBuilder().setClusterId(cluster).setSchema(1)
        .setBatchJson(ByteString.copyFrom(EventCodec.encodePayload(batch))).build();
  }

  @Test
  void aSealedReportLandsOnTheTelemetryTopicOpaqueAndOpensWithTheSecret() throws Exception {
    HandshakeSampleBatch sent = batch("node-a");
    SealedSampleBatch sealed = SEAL.seal("cluster-t", sent);
    long offset = report(sealed("cluster-t", sealed)).ok().getOffset();

    ConsumerRecord<byte[], byte[]> record = recordAt(log + ".telemetry", "cluster-t", offset);
    assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("cluster-t");
    assertThat(new String(record.value(), StandardCharsets.UTF_8)).as("nothing of the batch in clear")
        .doesNotContain("node-b").doesNotContain("203.0.113.9").doesNotContain("node-a");
    Envelope env = EventCodec.decode(record.value());
    assertThat(env.type()).isEqualTo(EventType.TELEMETRY_SEALED_BATCH);
    assertThat(env.clusterId()).isEqualTo("cluster-t");
    assertThat(env.subject()).isEqualTo(NODE_KEY);
    assertThat(env.payload()).isEqualTo(sealed);
    assertThat(SEAL.open(env.clusterId(), (SealedSampleBatch) env.payload())).isEqualTo(new Opening.Opened(sent));
    assertThat(server.metricsText()).containsPattern("spanlog_telemetry_reports_appended_total(\\{[^}]*})? [1-9]");
    // telemetry is not discovery state
    assertThat(client.list("cluster-t").ok().getAffiliatesCount()).isZero();
  }

  @Test
  void aForgedPlaintextBatchIsRefusedAndNotAppended() throws Exception {
    String cluster = "cluster-plain";
    ApiClient.Reply<ReportResponse> reply = report(plaintext(cluster, batch("node-x")));

    assertInvalid(reply, "plaintext telemetry (batch_json) is no longer accepted: batches must be sealed with the "
        + "cluster secret (sealed_batch and node_public_key); upgrade the agent");
    assertThat(recordsOf(log + ".telemetry", cluster)).as("records appended for plaintext reports").isEmpty();
  }

  @Test
  void anEmptyReportIsAProbeAnsweredWithoutAppending() throws Exception {
    assertThat(report(ReportRequest.newBuilder().setClusterId("cluster-probe").build()).ok().getOffset()).isEqualTo(-1);
    assertThat(report(ReportRequest.getDefaultInstance()).ok().getOffset()).isEqualTo(-1);
    assertThat(recordsOf(log + ".telemetry", "cluster-probe")).isEmpty();
  }

  @Test
  void badlyFramedOrOversizeSealedReportsGetInvalidArgumentAndAreNotAppended() throws Exception {
    String cluster = "cluster-bad";
    SealedSampleBatch good = SEAL.seal(cluster, batch("node-x"));
    byte[] bytes = good.sealed().toByteArray();
    assertInvalid(report(sealed("", good)), "cluster ID can't be empty");
    assertInvalid(report(sealed("c".repeat(257), good)), "cluster ID is too long");
    assertInvalid(report(sealed(cluster, good).toBuilder().setSchema(2).build()),
        "sealed_batch: schema 2 is not supported: this build reads handshake.sample-batch schema 1");
    assertInvalid(report(sealed(cluster, good).toBuilder().setSealedBatch(ByteString.copyFrom(bytes, 0, 20)).build()),
        "sealed_batch: sealed batch of 20 bytes is shorter than its header, nonce and tag (37 bytes)");
    assertInvalid(report(sealed(cluster, good).toBuilder().setNodePublicKey("s3cr3t").build()),
        "the node public key is not a WireGuard key");
    byte[] oversize = java.util.Arrays.copyOf(bytes, TelemetrySeal.MAX_SEALED_BYTES + 1);
    assertInvalid(report(sealed(cluster, good).toBuilder().setSealedBatch(ByteString.copyFrom(oversize)).build()),
        "sealed_batch: sealed batch of " + oversize.length + " bytes is larger than the " + TelemetrySeal.MAX_SEALED_BYTES
            + " bytes accepted");
    // the largest accepted batch is appended: the limit fits the topic's record size
    byte[] largest = java.util.Arrays.copyOf(bytes, TelemetrySeal.MAX_SEALED_BYTES);
    String bigCluster = "cluster-largest";
    long offset = report(sealed(bigCluster, good).toBuilder().setClusterId(bigCluster)
        .setSealedBatch(ByteString.copyFrom(largest)).build()).ok().getOffset();
    assertThat(recordAt(log + ".telemetry", bigCluster, offset)).isNotNull();

    assertThat(recordsOf(log + ".telemetry", cluster)).as("records appended for bad reports").isEmpty();
  }

  static void assertInvalid(ApiClient.Reply<?> reply, String message) {
    assertThat(reply.status()).as(reply.message()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(reply.message()).contains(message);
  }

  static ConsumerRecord<byte[], byte[]> recordAt(String topic, String key, long offset) {
    return recordsOf(topic, key).stream().filter(r -> r.offset() == offset).findFirst()
        .orElseThrow(() -> new AssertionError("no record of " + key + " at offset " + offset + " on " + topic));
  }

  /** Every record of one key on the topic, read from the start up to the current end. */
  static List<ConsumerRecord<byte[], byte[]>> recordsOf(String topic, String key) {
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(KafkaSettings.reader(TestServers.bootstrap(), "telemetry-check"))) {
      List<TopicPartition> parts = c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      List<ConsumerRecord<byte[], byte[]>> found = new java.util.ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        assertThat(System.nanoTime()).as("reading %s within 30 s", topic).isLessThan(deadline);
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          if (key.equals(new String(r.key(), StandardCharsets.UTF_8))) {
            found.add(r);
          }
        }
      }
      return found;
    }
  }
}
