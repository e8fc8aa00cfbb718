package io.spanlog.discovery.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.spanlog.discovery.log.KafkaSettings;
import io.spanlog.events.EndpointSource;
import io.spanlog.events.Envelope;
import io.spanlog.events.EventCodec;
import io.spanlog.events.EventType;
import io.spanlog.events.HandshakeSampleBatch;
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

/** Spanlog's telemetry service on the discovery port: reports land on the telemetry topic. */
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

  static HandshakeSampleBatch batch(String node) {
    return new HandshakeSampleBatch(node, "Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGw=", true, List.of(
        new PeerSample("YmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGxmb28=", "node-b", Optional.of("203.0.113.9:51820"),
            EndpointSource.HARVESTED, 1, 3, Optional.of(Instant.parse("2026-11-25T10:10:00Z")),
            Optional.of(Instant.parse("2026-11-25T10:14:58.5Z")), 123_456_789_012L, 98_765L, PeerState.UP,
            "handshake 31.6 s ago, within 275 s")));
  }

  static ApiClient.Reply<ReportResponse> report(String cluster, int schema, byte[] json) {
    return client.call(TelemetryGrpcClient.Report, ReportRequest.newBuilder().setClusterId(cluster)
        .setSchema(schema).setBatchJson(ByteString.copyFrom(json)).build(), Map.of());
  }

  static byte[] json(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aReportLandsOnTheTelemetryTopicAndDecodesEqual() throws Exception {
    HandshakeSampleBatch sent = batch("node-a");
    long offset = report("cluster-t", 1, EventCodec.encodePayload(sent)).ok().getOffset();

    ConsumerRecord<byte[], byte[]> record = recordAt(log + ".telemetry", "cluster-t", offset);
    assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("cluster-t");
    Envelope env = EventCodec.decode(record.value());
    assertThat(env.type()).isEqualTo(EventType.HANDSHAKE_SAMPLE_BATCH);
    assertThat(env.clusterId()).isEqualTo("cluster-t");
    assertThat(env.subject()).isEqualTo("node-a");
    assertThat(env.payload()).isEqualTo(sent);
    assertThat(server.metricsText()).containsPattern("spanlog_telemetry_reports_appended_total(\\{[^}]*})? [1-9]");
    // telemetry is not discovery state
    assertThat(client.list("cluster-t").ok().getAffiliatesCount()).isZero();
  }

  @Test
  void badReportsGetInvalidArgumentWithASentenceAndAreNotAppended() throws Exception {
    byte[] good = EventCodec.encodePayload(batch("node-x"));
    String cluster = "cluster-bad";
    assertInvalid(report("", 1, good), "cluster ID can't be empty");
    assertInvalid(report("c".repeat(257), 1, good), "cluster ID is too long");
    assertInvalid(report(cluster, 2, good), "schema 2 is not supported: this server reads handshake.sample-batch schema 1");
    assertInvalid(report(cluster, 0, good), "schema 0 is not supported");
    assertInvalid(report(cluster, 1, new byte[0]), "batch_json is empty");
    assertInvalid(report(cluster, 1, json("{\"nodeId\": \"n\", ")), "batch_json is not a valid handshake.sample-batch (schema 1): not valid JSON (line 1");
    assertInvalid(report(cluster, 1, json("[1, 2]")), "payload is not a JSON object");
    assertInvalid(report(cluster, 1, json("{\"nodeId\":\"n\",\"publicKey\":\"k\",\"discoveryReachable\":true}")), "peers");
    String wrongType = new String(good, StandardCharsets.UTF_8).replace("123456789012", "\"s3cr3t-value\"");
    ApiClient.Reply<ReportResponse> typed = report(cluster, 1, json(wrongType));
    assertInvalid(typed, "rxBytes");
    assertThat(typed.message()).doesNotContain("s3cr3t-value");
    assertInvalid(report(cluster, 1, json(new String(good, StandardCharsets.UTF_8).replace("\"node-x\"", "\"\""))), "nodeId can't be empty");

    assertThat(recordsOf(log + ".telemetry", cluster)).as("records appended for bad reports").isEmpty();
  }

  @Test
  void aFieldFromANewerAgentIsDroppedNeverStored() throws Exception {
    // Same schema major, one field this server does not know (see EventCodec: additive changes
    // are read by older releases). What is appended is the batch as this server understands it.
    HandshakeSampleBatch sent = batch("node-n");
    String newer = new String(EventCodec.encodePayload(sent), StandardCharsets.UTF_8)
        .replaceFirst("\\{", "{\"clusterSecret\":\"s3cr3t-value\",");
    long offset = report("cluster-newer", 1, json(newer)).ok().getOffset();

    ConsumerRecord<byte[], byte[]> record = recordAt(log + ".telemetry", "cluster-newer", offset);
    assertThat(new String(record.value(), StandardCharsets.UTF_8))
        .doesNotContain("clusterSecret").doesNotContain("s3cr3t-value");
    assertThat(EventCodec.decode(record.value()).payload()).isEqualTo(sent);
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
