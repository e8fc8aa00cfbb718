package io.spanlog.history;

import io.spanlog.peers.AffiliateViews;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spanlog.affiliate.AffiliateView;
import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.ctl.CtlMain;
import io.spanlog.discovery.AffiliateState;
import io.spanlog.discovery.ClusterState;
import io.spanlog.events.Blob;
import io.spanlog.events.EndpointSource;
import io.spanlog.events.Envelope;
import io.spanlog.events.EventCodec;
import io.spanlog.events.HandshakeSampleBatch;
import io.spanlog.events.LinkStateChanged;
import io.spanlog.events.PeerSample;
import io.spanlog.events.PeerState;
import io.spanlog.history.read.LogAccess;
import io.spanlog.history.read.LogReader;
import io.spanlog.history.read.Progress;
import io.spanlog.history.state.AffiliateDecoding;
import io.spanlog.history.state.DiscoveryReplay;
import io.spanlog.kafka.KafkaClientConfig;
import io.spanlog.peers.PeerSpecs;
import io.spanlog.telemetry.TelemetrySeal;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A history recorded live from a real discovery service (real gRPC writes, List captured with the
 * time at several instants), replayed from the log to those instants: exactly the captured states,
 * through the library and through {@code ctl history}; from checkpoints with fewer records read;
 * and each bad input with its sentence and exit code.
 */
@Timeout(300)
class HistoryReplayIT {
  static RecordedHistory h;
  static RecordedHistory.Capture last;
  static Path secrets;

  @BeforeAll
  static void record() throws Exception {
    h = new RecordedHistory();
    String noise = "noise-" + h.prefix;
    h.update(h.cluster, 1, h.data(1, "host-1"), h.endpoint("10.0.0.1", 51820));
    h.update(h.cluster, 2, h.data(2, "host-2"), h.endpoint("10.0.0.2", 51820));
    h.capture("two nodes");
    h.update(h.cluster, 3, h.data(3, "host-3"), h.endpoint("10.0.0.3", 51820));
    h.update(noise, 1, h.data(1, "noise"));
    // node 1 reports node 3 seen at a NAT mapping: a harvested endpoint published for node 3
    h.update(h.cluster, 3, null, h.endpoint("198.51.100.3", 40003));
    h.capture("three nodes, one harvested endpoint");
    h.delete(2);
    h.capture("node 2 left");
    for (int i = 0; i < 12; i++) { // refreshes: events that move the partition, for checkpoints
      h.update(h.cluster, 1 + (i % 2) * 2, null, h.endpoint("10.0.0." + (1 + (i % 2) * 2), 51820));
    }
    awaitCheckpoint(h);
    h.update(h.cluster, 2, h.data(2, "host-2-rebuilt"), h.endpoint("10.0.0.2", 51820));
    h.capture("node 2 back, rebuilt");
    writeTelemetryAndLinkEvents(h);
    poison(h);
    h.update(h.cluster, 1, null, h.endpoint("203.0.113.1", 51820));
    last = h.capture("after a poison record");
    secrets = h.secretsDir(h.secret);
  }

  @AfterAll
  static void stop() {
    if (h != null) {
      h.close();
    }
  }

  static LogReader reader() {
    return new LogReader(LogAccess.of(h.kafka.bootstrapServers(), KafkaClientConfig.NONE), Progress.QUIET);
  }

  static DiscoveryReplay replay(LogReader r) {
    return new DiscoveryReplay(r, h.prefix + ".events", h.prefix + ".checkpoints");
  }

  static Map<String, RecordedHistory.Listed> listed(ClusterState state) {
    Map<String, RecordedHistory.Listed> out = new TreeMap<>();
    for (AffiliateState a : state.affiliates()) {
      out.put(a.id(), new RecordedHistory.Listed(a.data().base64(), a.endpoints().stream().map(e -> e.blob().base64()).toList()));
    }
    return out;
  }

  @Test
  void replayedToEachCapturedInstantTheLogGivesExactlyWhatListSaidThen() {
    assertThat(h.captures).hasSize(5);
    try (LogReader r = reader()) {
      for (RecordedHistory.Capture c : h.captures) {
        DiscoveryReplay.Result result = replay(r).at(h.cluster, c.at());
        assertThat(listed(result.state())).as(c.name()).isEqualTo(c.affiliates());
      }
    }
  }

  @Test
  void withCheckpointsTheStateAtAnInstantReadsFewerRecordsThanFromTheStartAndIsTheSame() {
    try (LogReader r = reader()) {
      DiscoveryReplay.Result fromCheckpoint = replay(r).at(h.cluster, last.at());
      DiscoveryReplay.Result fromStart = replay(r).upTo(h.cluster, last.at(), fromCheckpoint.endOffset(), false);
      assertThat(fromCheckpoint.checkpoint()).as("a checkpoint before the instant").isPresent();
      assertThat(fromCheckpoint.events().records()).isLessThan(fromStart.events().records());
      assertThat(fromCheckpoint.state()).isEqualTo(fromStart.state());
      assertThat(listed(fromCheckpoint.state())).isEqualTo(last.affiliates());
      // the poison record injected before the last capture: skipped and counted, the fold went on
      assertThat(fromStart.events().skipped()).containsEntry(io.spanlog.events.EventDecodingException.Problem.MALFORMED_JSON, 1L);
    }
  }

  @Test
  void ctlHistoryAffiliatesDecryptsWithTheSecretOrShowsWhatIsInClear() throws Exception {
    Cli cli = Cli.run("history", "affiliates", "--cluster", h.cluster, "--at", last.at().toString(),
        "--secrets", secrets.toString(), "-o", "json", "--bootstrap", h.kafka.bootstrapServers(), "--topic-prefix", h.prefix);
    assertThat(cli.code).as(cli.err).isEqualTo(0);
    JsonNode answer = new ObjectMapper().readTree(cli.out);
    Map<String, JsonNode> byId = new TreeMap<>();
    answer.path("affiliates").forEach(a -> byId.put(a.path("id").asText(), a));
    assertThat(byId.keySet()).containsExactly("node-1", "node-2", "node-3");
    assertThat(byId.get("node-2").path("decoded").path("hostname").asText()).isEqualTo("host-2-rebuilt");
    assertThat(byId.get("node-3").path("decoded").path("publicKey").asText()).isEqualTo(h.publicKey(3));
    assertThat(byId.get("node-3").path("decoded").path("kubeSpanAddress").asText()).isEqualTo("fd00:0:0:0:0:0:0:3");
    List<String> endpoints3 = new ArrayList<>();
    byId.get("node-3").path("decoded").path("endpoints").forEach(e -> endpoints3.add(e.path("endpoint").asText() + " " + e.path("source").asText()));
    assertThat(endpoints3).containsExactly("10.0.0.3:51820 advertised", "198.51.100.3:40003 harvested");

    Cli opaque = Cli.run("history", "affiliates", "--cluster", h.cluster, "--at", h.captures.get(2).at().toString(),
        "--bootstrap", h.kafka.bootstrapServers(), "--topic-prefix", h.prefix);
    assertThat(opaque.code).as(opaque.err).isEqualTo(0);
    assertThat(opaque.out).contains("ID", "DATA BYTES", "EXPIRES", "LAST CHANGE", "node-1", "node-3").doesNotContain("node-2", "host-1");
  }

  @Test
  void ctlHistoryStateGivesTheAgentsPeerSpecsAndLinksFromLinkEventsElseSamples() throws Exception {
    Cli cli = Cli.run("history", "state", "--cluster", h.cluster, "--at", last.at().toString(),
        "--secrets", secrets.toString(), "-o", "json", "--bootstrap", h.kafka.bootstrapServers(), "--topic-prefix", h.prefix);
    assertThat(cli.code).as(cli.err).isEqualTo(0);
    JsonNode state = new ObjectMapper().readTree(cli.out);

    // the peer specs node-1 computes from the List captured live, decrypted as its agent would
    ClusterState live = ClusterState.of(last.affiliates().entrySet().stream().map(e -> new AffiliateState(e.getKey(),
        Blob.ofBase64(e.getValue().data()), Instant.EPOCH, e.getValue().endpoints().stream()
            .map(b -> new io.spanlog.discovery.EndpointState(Blob.ofBase64(b), Instant.EPOCH)).toList())).toList());
    List<AffiliateView> views = AffiliateViews.of(live, h.crypto);
    List<String> expected = PeerSpecs.compute(h.publicKey(1), views.stream().filter(v -> !v.affiliateId().equals("node-1")).toList())
        .peers().stream().map(p -> p.label() + " " + p.endpointList()).toList();
    JsonNode node1 = null;
    for (JsonNode n : state.path("nodes")) {
      if (n.path("affiliateId").asText().equals("node-1")) {
        node1 = n;
      }
    }
    assertThat(node1).isNotNull();
    List<String> replayed = new ArrayList<>();
    node1.path("peers").forEach(p -> {
      List<String> eps = new ArrayList<>();
      p.path("endpoints").forEach(e -> eps.add(e.path("endpoint").asText()));
      replayed.add(p.path("label").asText() + " " + eps);
    });
    assertThat(replayed).isEqualTo(expected).hasSize(2);

    Map<String, String> links = new TreeMap<>();
    state.path("links").forEach(l -> links.put(l.path("node").asText() + "->" + l.path("peer").asText(),
        l.path("state").asText() + " " + l.path("from").asText()));
    assertThat(links).containsEntry("node-3->node-1", "up link-events")
        .containsEntry("node-1->node-2", "up samples")
        .containsEntry("node-1->node-3", "down samples")
        .containsEntry("node-2->node-1", "unknown none");
    assertThat(state.path("matrix").path("node-1").path("node-3").asText()).isEqualTo("down");
    assertThat(state.path("notes").toString()).contains("have no link event up to", "latest raw telemetry sample");
  }

  @Test
  void anUnknownClusterIsExit1AndASentence() {
    Cli cli = Cli.run("history", "affiliates", "--cluster", "no-such-cluster", "--at", "now",
        "--bootstrap", h.kafka.bootstrapServers(), "--topic-prefix", h.prefix);
    assertThat(cli.code).isEqualTo(1);
    assertThat(cli.err).contains("unknown cluster 'no-such-cluster': no event of it in " + h.prefix + ".events")
        .doesNotContain("Exception", "\tat ");
  }

  @Test
  void aWrongOrMissingSecretIsASentence() throws Exception {
    byte[] other = new byte[32];
    new SecureRandom().nextBytes(other);
    Path wrong = h.secretsDir(ClusterSecret.fromBytes(other));
    Cli cli = Cli.run("history", "affiliates", "--cluster", h.cluster, "--at", last.at().toString(),
        "--secrets", wrong.toString(), "--bootstrap", h.kafka.bootstrapServers(), "--topic-prefix", h.prefix);
    assertThat(cli.code).isEqualTo(1);
    assertThat(cli.err).contains("the secret given for cluster " + h.cluster + " opens none of its 3 affiliates' data")
        .doesNotContain(h.secret.revealBase64(), "Exception");

    Path empty = java.nio.file.Files.createTempDirectory("hist-no-secrets-");
    Cli none = Cli.run("history", "state", "--cluster", h.cluster, "--secrets", empty.toString(),
        "--bootstrap", h.kafka.bootstrapServers(), "--topic-prefix", h.prefix);
    assertThat(none.code).isEqualTo(1);
    assertThat(none.err).contains("no secret for cluster " + h.cluster + " in " + empty);

    Cli missing = Cli.run("history", "state", "--cluster", h.cluster, "--bootstrap", h.kafka.bootstrapServers());
    assertThat(missing.code).isEqualTo(2);
    assertThat(missing.err).contains("Missing required option: '--secrets=DIR'");
  }

  @Test
  void aTimeBeforeTheRetainedStartNamesTheEarliestTimeAvailableAndATruncatedRecordIsCounted() throws Exception {
    String prefix = "hist-retained-" + h.prefix;
    Instant t0 = Instant.parse("2026-11-01T10:00:00Z");
    try (Admin admin = h.kafka.newAdmin()) {
      admin.createTopics(List.of(new NewTopic(prefix + ".events", 1, (short) 1))).all().get();
      try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(h.kafka.producerConfig())) {
        for (int i = 0; i < 4; i++) {
          Envelope e = Envelope.of("c-old", "n", t0.plusSeconds(60L * i), "test",
              new io.spanlog.events.AffiliateDeleted("n", Optional.empty()));
          p.send(new ProducerRecord<>(prefix + ".events", 0, t0.plusSeconds(60L * i).toEpochMilli(),
              "c-old".getBytes(StandardCharsets.UTF_8), EventCodec.encode(e))).get();
        }
        byte[] whole = EventCodec.encode(Envelope.of("c-old", "n", t0.plusSeconds(240), "test",
            new io.spanlog.events.AffiliateDeleted("n", Optional.empty())));
        p.send(new ProducerRecord<>(prefix + ".events", 0, t0.plusSeconds(240).toEpochMilli(),
            "c-old".getBytes(StandardCharsets.UTF_8), java.util.Arrays.copyOf(whole, whole.length - 9))).get(); // truncated
      }
      // retention removed the first two records
      admin.deleteRecords(Map.of(new TopicPartition(prefix + ".events", 0), RecordsToDelete.beforeOffset(2))).all().get();
    }
    Cli cli = Cli.run("history", "affiliates", "--cluster", "c-old", "--at", t0.plusSeconds(30).toString(),
        "--bootstrap", h.kafka.bootstrapServers(), "--topic-prefix", prefix);
    assertThat(cli.code).isEqualTo(1);
    assertThat(cli.err).contains("the log holds nothing before " + t0.plusSeconds(120) + " (the earliest time available");
    Cli after = Cli.run("history", "affiliates", "--cluster", "c-old", "--at", t0.plusSeconds(300).toString(),
        "--bootstrap", h.kafka.bootstrapServers(), "--topic-prefix", prefix);
    assertThat(after.code).as(after.err).isEqualTo(0);
    assertThat(after.err).contains("had no affiliates at " + t0.plusSeconds(300),
        "skipped 1 record that is not events this build reads (1 malformed json)");
  }

  /**
   * {@code history timeline --from} before what retention kept of the discovery events, or of the
   * telemetry, names the earliest time available (exit 1) instead of telling a story with its
   * start missing; from that time on the range is read (here: no such link, a different answer).
   * Own topics per case (a per-test prefix), so nothing is deleted from topics other tests read.
   */
  @Test
  void aTimelineFromBeforeTheRetainedStartNamesTheEarliestTimeAvailable() throws Exception {
    Instant t0 = Instant.parse("2026-11-02T10:00:00Z");
    for (String trimmed : List.of("events", "telemetry")) {
      String prefix = "hist-timeline-retained-" + trimmed + "-" + h.prefix;
      try (Admin admin = h.kafka.newAdmin()) {
        admin.createTopics(List.of("events", "checkpoints", "telemetry", "link-events", "link-metrics").stream()
            .map(t -> new NewTopic(prefix + "." + t, 1, (short) 1)).toList()).all().get();
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(h.kafka.producerConfig())) {
          for (int i = 0; i < 4; i++) {
            Instant at = t0.plusSeconds(60L * i);
            p.send(new ProducerRecord<>(prefix + ".events", 0, at.toEpochMilli(), "c-old".getBytes(StandardCharsets.UTF_8),
                EventCodec.encode(Envelope.of("c-old", "n", at, "test", new io.spanlog.events.AffiliateDeleted("n", Optional.empty()))))).get();
            Instant sampled = at.plusSeconds(5);
            p.send(new ProducerRecord<>(prefix + ".telemetry", 0, sampled.toEpochMilli(), "c-old".getBytes(StandardCharsets.UTF_8),
                EventCodec.encode(Envelope.of("c-old", "n", sampled, "test", new io.spanlog.events.SealedSampleBatch("qW8xL0g3m1p6X9pZ0lH0h2c1QWJ3cHhZb2V2bUxrYTQ=", 1,
                    Blob.ofHex("01" + "00".repeat(8) + "0a".repeat(12) + "ff".repeat(40))))))).get();
          }
        }
        // retention removed the first two records of one topic
        admin.deleteRecords(Map.of(new TopicPartition(prefix + "." + trimmed, 0), RecordsToDelete.beforeOffset(2))).all().get();
      }
      Instant earliest = t0.plusSeconds(120 + (trimmed.equals("telemetry") ? 5 : 0));

      Cli before = Cli.run("history", "timeline", "--cluster", "c-old", "--link", "node-1:node-2",
          "--from", t0.plusSeconds(30).toString(), "--to", t0.plusSeconds(600).toString(),
          "--bootstrap", h.kafka.bootstrapServers(), "--topic-prefix", prefix);
      Cli after = Cli.run("history", "timeline", "--cluster", "c-old", "--link", "node-1:node-2",
          "--from", earliest.toString(), "--to", t0.plusSeconds(600).toString(),
          "--bootstrap", h.kafka.bootstrapServers(), "--topic-prefix", prefix);

      assertThat(before.code).as(before.err).isEqualTo(io.spanlog.ctl.ExitCodes.FAILURE);
      assertThat(before.err).as(trimmed).contains("the log keeps " + prefix + "." + trimmed + " only from " + earliest
          + " on (older records are past retention): give --from " + earliest + " or later");
      assertThat(before.err).doesNotContain("Exception", "\tat ");
      assertThat(after.err).as(trimmed).doesNotContain("past retention");
    }
  }

  // --- the recording's telemetry, link events and poison ---

  static void awaitCheckpoint(RecordedHistory h) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    try (LogReader r = reader()) {
      TopicPartition tp = new TopicPartition(h.prefix + ".checkpoints",
          LogReader.partitionOf(h.cluster, 3));
      while (r.endOffsets(List.of(tp)).get(tp) == 0) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("no checkpoint written within 60 s");
        }
        Thread.sleep(100);
      }
    }
    Thread.sleep(20);
  }

  static void writeTelemetryAndLinkEvents(RecordedHistory h) throws Exception {
    try (Admin admin = h.kafka.newAdmin()) {
      admin.createTopics(List.of(new NewTopic(h.prefix + ".link-events", 3, (short) 1))).all().get();
    }
    Instant now = Instant.now();
    HandshakeSampleBatch batch = new HandshakeSampleBatch("node-1", h.publicKey(1), true, List.of(
        new PeerSample(h.publicKey(2), "node-2", Optional.of("10.0.0.2:51820"), EndpointSource.ADVERTISED, 0, 1,
            Optional.of(now), Optional.of(now), 100, 200, PeerState.UP, "handshake 3 s ago"),
        new PeerSample(h.publicKey(3), "node-3", Optional.of("198.51.100.3:40003"), EndpointSource.HARVESTED, 1, 2,
            Optional.of(now), Optional.empty(), 0, 100, PeerState.DOWN, "no handshake for 275 s since the endpoint change")),
        Optional.of(now));
    var sealed = new TelemetrySeal(h.secret).seal(h.cluster, batch);
    LinkStateChanged change = new LinkStateChanged("node-3", h.publicKey(3), h.publicKey(1), "node-1", PeerState.DOWN,
        PeerState.UP, Optional.of("10.0.0.1:51820"), EndpointSource.ADVERTISED, "handshake 2 s ago", now.minusSeconds(60),
        true, now.minusSeconds(5), now, Duration.ofSeconds(60));
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(h.kafka.producerConfig())) {
      byte[] key = h.cluster.getBytes(StandardCharsets.UTF_8);
      p.send(new ProducerRecord<>(h.prefix + ".telemetry", key,
          EventCodec.encode(Envelope.of(h.cluster, "node-1", now, "test", sealed)))).get();
      p.send(new ProducerRecord<>(h.prefix + ".link-events", key,
          EventCodec.encode(Envelope.of(h.cluster, "node-3/node-1", now, "test", change)))).get();
    }
  }

  static void poison(RecordedHistory h) throws Exception {
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(h.kafka.producerConfig())) {
      p.send(new ProducerRecord<>(h.prefix + ".events", h.cluster.getBytes(StandardCharsets.UTF_8),
          "{\"type\":\"affiliate.updated\",\"sch".getBytes(StandardCharsets.UTF_8))).get();
    }
  }

  record Cli(int code, String out, String err) {
    static Cli run(String... args) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code = CtlMain.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), args);
      return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
  }
}
