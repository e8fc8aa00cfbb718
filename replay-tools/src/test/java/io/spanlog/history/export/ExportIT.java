package io.spanlog.history.export;

import io.spanlog.ctl.CtlRun;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.affiliate.ClusterSecretFile;
import io.spanlog.ctl.CtlMain;
import io.spanlog.events.AffiliateUpdated;
import io.spanlog.events.Blob;
import io.spanlog.events.Envelope;
import io.spanlog.events.EventCodec;
import io.spanlog.infra.testing.KafkaFixture;
import io.spanlog.infra.testing.TempDirs;
import io.spanlog.telemetry.TelemetrySeal;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code ctl history export} on a real broker: a cluster's affiliate events and sealed sample
 * batches (and another cluster's, and a poison record, and events outside the range) are written,
 * exported as CSV and JSON Lines, and parsed back.
 */
class ExportIT {
  private static final String CLUSTER = "export-" + UUID.randomUUID();
  private static final Instant T0 = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
  private static final ClusterSecret SECRET = randomSecret();
  private static final int UPDATES_IN_RANGE = 5;
  private static final int BATCHES_IN_RANGE = 3;
  private static KafkaFixture kafka;
  private static String events;
  private static String telemetry;
  private static Path dir;

  private static ClusterSecret randomSecret() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return ClusterSecret.fromBytes(b);
  }

  @BeforeAll
  static void writeHistory() throws Exception {
    kafka = KafkaFixture.shared();
    events = kafka.uniqueTopic("export-events", 3);
    telemetry = kafka.uniqueTopic("export-telemetry", 3);
    dir = TempDirs.create("spanlog-export-");
    Path secrets = Files.createDirectory(dir.resolve("secrets"));
    Path file = secrets.resolve("cluster.yaml");
    Files.writeString(file, ClusterSecretFile.render(new ClusterSecretFile.Entry(CLUSTER, SECRET)));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    TelemetrySeal seal = new TelemetrySeal(SECRET);
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(kafka.producerConfig())) {
      byte[] key = CLUSTER.getBytes(StandardCharsets.UTF_8);
      // before the range: not exported
      send(p, events, key, T0.minusSeconds(600), update(CLUSTER, "early", T0.minusSeconds(600)));
      for (int i = 0; i < UPDATES_IN_RANGE; i++) {
        Instant at = T0.plusSeconds(10L * i);
        send(p, events, key, at, update(CLUSTER, "aff-" + i, at));
        send(p, events, "other".getBytes(StandardCharsets.UTF_8), at, update("other", "x-" + i, at));
      }
      p.send(new ProducerRecord<>(events, null, T0.plusSeconds(15).toEpochMilli(), key,
          "{\"truncated".getBytes(StandardCharsets.UTF_8))).get();
      for (int i = 0; i < BATCHES_IN_RANGE; i++) {
        Instant at = T0.plusSeconds(30L * i + 5);
        Envelope sealed = Envelope.of(CLUSTER, EventRowsTest.NODE_KEY, at, "discovery@it",
            seal.seal(CLUSTER, EventRowsTest.batch()));
        send(p, telemetry, key, at, EventCodec.encode(sealed));
      }
    }
  }

  @AfterAll
  static void clean() {
    if (dir != null) {
      TempDirs.deleteRecursively(dir);
    }
  }

  private static byte[] update(String cluster, String affiliate, Instant at) {
    return EventCodec.encode(Envelope.of(cluster, affiliate, at, "discovery@it", new AffiliateUpdated(affiliate,
        Optional.of(Blob.of(("data of " + affiliate).getBytes(StandardCharsets.UTF_8))), List.of(),
        Duration.ofMinutes(30), Optional.empty())));
  }

  private static void send(KafkaProducer<byte[], byte[]> p, String topic, byte[] key, Instant at, byte[] value)
      throws Exception {
    p.send(new ProducerRecord<>(topic, null, at.toEpochMilli(), key, value)).get();
  }

  @Test
  void csvWithTheSecretHasOneRowPerEventAndPerPeerSampleAndParsesBack() throws Exception {
    Path csv = dir.resolve("history.csv");
    CtlRun run = CtlRun.of("history", "export", "--bootstrap", kafka.bootstrapServers(), "--cluster", CLUSTER,
        "--from", T0.toString(), "--to", T0.plusSeconds(300).toString(), "--format", "csv",
        "--topics", events + "," + telemetry, "--secrets", dir.resolve("secrets").toString(), "--out", csv.toString());
    System.out.println(run.err());
    assertThat(run.code()).as(run.err()).isZero();
    List<Map<String, String>> rows = new CsvMapper().readerFor(Map.class)
        .with(CsvSchema.emptySchema().withHeader()).<Map<String, String>>readValues(csv.toFile()).readAll();
    int samplesPerBatch = EventRowsTest.batch().peers().size();
    assertThat(rows).hasSize(UPDATES_IN_RANGE + BATCHES_IN_RANGE * samplesPerBatch);
    assertThat(rows).allSatisfy(r -> assertThat(r.get("cluster")).isEqualTo(CLUSTER));
    assertThat(rows).filteredOn(r -> r.get("type").equals("affiliate.updated")).extracting(r -> r.get("subject"))
        .containsExactlyInAnyOrder("aff-0", "aff-1", "aff-2", "aff-3", "aff-4");
    List<Map<String, String>> samples = rows.stream().filter(r -> r.get("topic").equals(telemetry)).toList();
    assertThat(samples).hasSize(BATCHES_IN_RANGE * samplesPerBatch).allSatisfy(r ->
        assertThat(r.get("sealed")).isEqualTo(EventRows.OPENED));
    assertThat(samples).filteredOn(r -> r.get("peer").equals("KEY2="))
        .allSatisfy(r -> assertThat(r).containsEntry("peer_label", "node-2, \"the second\"\nrack 4")
            .containsEntry("rx_bytes", "1200").containsEntry("state", "up"));
    assertThat(run.err()).contains("exported " + (UPDATES_IN_RANGE + BATCHES_IN_RANGE) + " event(s) as " + rows.size()
        + " row(s)").contains("skipped 1 record");
  }

  @Test
  void jsonLinesWithoutTheSecretKeepsTheClearHeaderAndSaysSo() throws Exception {
    CtlRun run = CtlRun.of("history", "export", "--bootstrap", kafka.bootstrapServers(), "--cluster", CLUSTER,
        "--from", T0.toString(), "--to", T0.plusSeconds(300).toString(), "--topics", events + "," + telemetry);
    assertThat(run.code()).as(run.err()).isZero();
    List<JsonNode> rows = run.out().lines().map(l -> {
      try {
        return new ObjectMapper().readTree(l);
      } catch (Exception e) {
        throw new AssertionError(l, e);
      }
    }).toList();
    assertThat(rows).hasSize(UPDATES_IN_RANGE + BATCHES_IN_RANGE);
    assertThat(rows).filteredOn(r -> r.path("topic").asText().equals(telemetry)).hasSize(BATCHES_IN_RANGE)
        .allSatisfy(r -> {
          assertThat(r.path("sealed").asText()).isEqualTo(EventRows.NO_SECRET);
          assertThat(r.path("node").asText()).isEqualTo(EventRowsTest.NODE_KEY);
          assertThat(r.path("payload").path("sealedBytes").asInt()).isPositive();
        });
    assertThat(run.out()).doesNotContain("node-2").doesNotContain("KEY2=");
    assertThat(run.err()).contains(BATCHES_IN_RANGE + " sealed sample batch(es) exported as their clear header only")
        .contains("give --secrets DIR");
  }

  @Test
  void aClusterWithNoEventInTheRangeIsOneSentenceAndExit1() {
    CtlRun run = CtlRun.of("history", "export", "--bootstrap", kafka.bootstrapServers(), "--cluster", "no-such-cluster",
        "--from", T0.toString(), "--topics", events + "," + telemetry);
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err().lines().toList()).hasSize(1).first().asString()
        .startsWith("spanlog ctl: no event of cluster 'no-such-cluster' between ");
    assertThat(run.out()).isEmpty();
  }
}
