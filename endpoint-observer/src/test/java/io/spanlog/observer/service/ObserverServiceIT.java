package io.spanlog.observer.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.affiliate.ClusterSecretFile;
import io.spanlog.events.Envelope;
import io.spanlog.events.EventCodec;
import io.spanlog.events.LinkMetricsWindow;
import io.spanlog.events.HandshakeSampleBatch;
import io.spanlog.events.LinkStateChanged;
import io.spanlog.events.PeerSpecDrift;
import io.spanlog.infra.testing.TempDirs;
import io.spanlog.kafka.DeadLetterRouter;
import io.spanlog.kafka.KafkaClientConfig;
import io.spanlog.net.HostPort;
import io.spanlog.observer.Fleet;
import io.spanlog.observer.FleetDiscovery;
import io.spanlog.observer.SyntheticFleet;
import io.spanlog.telemetry.TelemetrySeal;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The observer service in this JVM on the real broker: synthetic telemetry in, derived events
 * out (read committed), and the read API and metrics of one instance and of two sharing the work.
 */
class ObserverServiceIT {
  private static final int NODES = 3;
  private static final int PASSES = 60;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final List<ObserverService> running = new ArrayList<>();
  private final List<Path> dirs = new ArrayList<>();

  @AfterEach
  void stop() {
    running.forEach(ObserverService::close);
    dirs.forEach(TempDirs::deleteRecursively);
  }

  @Test
  void derivesLinkFactsFromSealedAndPlaintextTelemetryAndAnswersTheReadApi() throws Exception {
    ObserverTopics topics = new ObserverTopics("observer-it");
    // cluster 0's agents seal their batches, and its secret is registered; cluster 1's batches
    // are plaintext, as older agents left them in the log
    ClusterSecret secret = secret();
    Path secrets = TempDirs.create("observer-secrets-");
    dirs.add(secrets);
    Path file = Files.writeString(secrets.resolve("cluster-0.yaml"), ClusterSecretFile.render(
        new ClusterSecretFile.Entry(SyntheticFleet.cluster(0), secret)));
    Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    ObserverService observer = start(topics, "observer-it-" + UUID.randomUUID(), Optional.of(secrets));
    observer.awaitRunning(Duration.ofSeconds(60));

    List<SyntheticFleet.Record> input =
        SyntheticFleet.records(2, NODES, PASSES, c -> c == 0 ? secret : null);
    topics.send(input);
    topics.sendRaw(SyntheticFleet.cluster(0), "not an event".getBytes(StandardCharsets.UTF_8));
    topics.send(SyntheticFleet.records(1, 2, 1, c -> secret()).stream() // sealed under another secret
        .toList());

    int expectedChanges = 2 * expectedChanges();
    List<Envelope> events = ObserverTopics.envelopes(topics.committed(
        topics.settings.linkEventsTopic(),
        got -> count(ObserverTopics.envelopes(got), LinkStateChanged.class) >= expectedChanges,
        Duration.ofSeconds(90)));
    assertThat(count(events, LinkStateChanged.class))
        .as("one state event per real change, none for repeated samples")
        .isEqualTo(expectedChanges);
    assertThat(events).allSatisfy(e -> assertThat(e.producer()).isEqualTo("endpoint-observer"));
    assertThat(events.stream().map(Envelope::eventId).distinct()).hasSize(events.size());

    List<ConsumerRecord<byte[], byte[]>> dead = topics.committed(
        topics.settings.deadLetterTopic(), got -> got.size() >= 3, Duration.ofSeconds(30));
    assertThat(dead).extracting(r -> new String(
            r.headers().lastHeader(DeadLetterRouter.HEADER_PROBLEM).value(), StandardCharsets.UTF_8))
        .containsExactly("MALFORMED_JSON", "NOT_SEALED_FOR_CLUSTER", "NOT_SEALED_FOR_CLUSTER");

    List<Envelope> metrics = ObserverTopics.envelopes(topics.committed(
        topics.settings.linkMetricsTopic(), got -> !got.isEmpty(), Duration.ofSeconds(30)));
    assertThat(metrics).isNotEmpty();

    // the read API
    int port = observer.apiPort();
    String c0 = SyntheticFleet.cluster(0);
    JsonNode links = json(get(port, "/v1/links?cluster=" + enc(c0)), 200);
    assertThat(links.get("links")).hasSize(NODES * (NODES - 1));
    for (JsonNode link : links.get("links")) {
      int n = Integer.parseInt(link.get("nodeName").asText().substring("node-".length()));
      int p = Integer.parseInt(link.get("peerName").asText().substring("node-".length()));
      assertThat(link.get("state").asText())
          .as("%s sees %s", n, p)
          .isEqualTo(SyntheticFleet.down(n, p, PASSES - 1) ? "down" : "up");
      assertThat(link.get("nodePublicKey").asText()).isEqualTo(SyntheticFleet.key(0, n));
    }
    assertThat(links.findValues("rxBytesPerSecond")).anySatisfy(v -> assertThat(v.asDouble()).isPositive());

    JsonNode matrix = json(get(port, "/v1/matrix?cluster=" + enc(c0)), 200);
    assertThat(matrix.get("nodes")).hasSize(NODES);
    assertThat(matrix.get("cells")).hasSize(NODES * (NODES - 1));

    List<LinkMetricsWindow> onTopic = metrics.stream()
        .filter(e -> e.clusterId().equals(c0)).map(e -> (LinkMetricsWindow) e.payload())
        .filter(w -> w.nodeId().equals("node-0") && w.peerLabel().equals("node-1")).toList();
    JsonNode windows = json(get(port, "/v1/link-metrics?cluster=" + enc(c0)
        + "&node=node-0&peer=node-1"), 200).get("windows");
    List<LinkMetricsWindow> answered = new ArrayList<>();
    for (JsonNode w : windows) {
      answered.add(EventCodec.mapper().treeToValue(w, LinkMetricsWindow.class));
    }
    assertThat(answered).isNotEmpty().isEqualTo(onTopic);
    JsonNode ranged = json(get(port, "/v1/link-metrics?cluster=" + enc(c0) + "&node=node-0&peer="
        + enc(SyntheticFleet.key(0, 1)) + "&from=" + onTopic.get(1).windowStart() + "&to="
        + onTopic.get(1).windowStart()), 200);
    assertThat(ranged.get("windows")).hasSize(1);

    JsonNode noDrift = json(get(port, "/v1/drift?cluster=" + enc(SyntheticFleet.cluster(1))), 200);
    assertThat(noDrift.get("secretRegistered").asBoolean()).isFalse();
    assertThat(noDrift.get("note").asText()).contains("needs the cluster's secret");
    assertThat(json(get(port, "/v1/links"), 400).get("error").asText()).contains("cluster");
    assertThat(json(get(port, "/v1/link-metrics?cluster=x&node=a&peer=b&from=yesterday"), 400)
        .get("error").asText()).contains("from must be");
    assertThat(json(get(port, "/v1/nothing"), 404).get("error").asText()).contains("/v1/links");
    assertThat(json(get(port, "/v1/links?cluster=never-reported"), 200).get("links")).isEmpty();

    // metrics
    observer.census();
    String scraped = get(observer.metricsPort(), "/metrics").body();
    assertThat(scraped)
        .contains("spanlog_observer_samples_total " + (double) (input.size() * (NODES - 1)))
        .contains("spanlog_observer_dead_lettered_total{cluster=\"" + c0 + "\",problem=\"MALFORMED_JSON\"} 1.0")
        .contains("spanlog_observer_dead_lettered_total{cluster=\"" + c0
            + "\",problem=\"NOT_SEALED_FOR_CLUSTER\"} 2.0")
        .contains("spanlog_observer_links{cluster=\"" + c0 + "\",state=\"up\"}")
        .contains("spanlog_observer_nodes{cluster=\"" + c0 + "\"} 3.0")
        .contains("spanlog_observer_bytes_per_second{cluster=\"" + c0 + "\",direction=\"rx\"}")
        .contains("kafka_consumer_fetch_manager_records_lag");
  }

  @Test
  void aNodeThatMissedAJoinIsReportedDriftingByTheReadApiTheEventsAndTheMetrics() throws Exception {
    ObserverTopics topics = new ObserverTopics("observer-drift");
    Path secrets = TempDirs.create("observer-secrets-");
    dirs.add(secrets);
    Path file = Files.writeString(secrets.resolve("prod.yaml"), ClusterSecretFile.render(
        new ClusterSecretFile.Entry(Fleet.CLUSTER, FleetDiscovery.SECRET)));
    Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    ObserverService observer = start(topics, "observer-drift-" + UUID.randomUUID(), Optional.of(secrets));
    observer.awaitRunning(Duration.ofSeconds(60));

    // A, B and C are in discovery; A's agent never picks C up, B's and C's are right
    topics.sendEvents(topics.settings.discoveryEventsTopic(), List.of(
        FleetDiscovery.joined(Fleet.A, Fleet.t(-60), "198.51.100.1:51820"),
        FleetDiscovery.joined(Fleet.B, Fleet.t(-60), "198.51.100.2:51820"),
        FleetDiscovery.joined(Fleet.C, Fleet.t(-50), "198.51.100.3:51820")));
    TelemetrySeal seal = new TelemetrySeal(FleetDiscovery.SECRET);
    List<Envelope> telemetry = new ArrayList<>();
    for (long s = 0; s <= 120; s += 30) {
      telemetry.add(sealed(seal, Fleet.batch(Fleet.A, Fleet.t(s),
          Fleet.up(Fleet.B, "198.51.100.2:51820", s, s, Fleet.t(s)))));
      telemetry.add(sealed(seal, Fleet.batch(Fleet.B, Fleet.t(s + 1),
          Fleet.up(Fleet.A, "198.51.100.1:51820", s, s, Fleet.t(s + 1)),
          Fleet.up(Fleet.C, "198.51.100.3:51820", s, s, Fleet.t(s + 1)))));
      telemetry.add(sealed(seal, Fleet.batch(Fleet.C, Fleet.t(s + 2),
          Fleet.up(Fleet.A, "198.51.100.1:51820", s, s, Fleet.t(s + 2)),
          Fleet.up(Fleet.B, "198.51.100.2:51820", s, s, Fleet.t(s + 2)))));
    }
    topics.sendEvents(topics.settings.telemetryTopic(), telemetry);

    List<Envelope> drift = ObserverTopics.envelopes(topics.committed(
            topics.settings.linkEventsTopic(),
            got -> count(ObserverTopics.envelopes(got), PeerSpecDrift.class) >= 1,
            Duration.ofSeconds(60))).stream()
        .filter(e -> e.payload() instanceof PeerSpecDrift).toList();
    assertThat(drift).singleElement().satisfies(e -> {
      PeerSpecDrift d = (PeerSpecDrift) e.payload();
      assertThat(d.nodePublicKey()).isEqualTo(Fleet.A.key());
      assertThat(d.discrepancies()).singleElement()
          .satisfies(x -> assertThat(x.peerPublicKey()).isEqualTo(Fleet.C.key()));
    });

    JsonNode answer = json(get(observer.apiPort(), "/v1/drift?cluster=" + enc(Fleet.CLUSTER)), 200);
    assertThat(answer.get("secretRegistered").asBoolean()).isTrue();
    assertThat(answer.get("drifting").asInt()).isEqualTo(1);
    assertThat(answer.get("nodes")).hasSize(3);
    JsonNode a = answer.get("nodes").get(0);
    assertThat(a.get("nodePublicKey").asText()).isEqualTo(Fleet.A.key());
    assertThat(a.get("driftingSince").asText()).isEqualTo(Fleet.t(0).toString());
    assertThat(a.get("discrepancies").get(0).get("kind").asText()).isEqualTo("missing-peer");

    observer.census();
    assertThat(get(observer.metricsPort(), "/metrics").body())
        .contains("spanlog_observer_nodes_drifting{cluster=\"" + Fleet.CLUSTER + "\"} 1.0");
  }

  private static Envelope sealed(TelemetrySeal seal, HandshakeSampleBatch batch) {
    Instant at = batch.sampledAt().orElseThrow().plusMillis(200);
    return new Envelope(UUID.randomUUID().toString(), Fleet.CLUSTER, batch.publicKey(), at,
        "discovery-projector@test", seal.seal(Fleet.CLUSTER, batch));
  }

  @Test
  void instancesShareTheWorkByPartitionAndAnswerForEachOther() throws Exception {
    ObserverTopics topics = new ObserverTopics("observer-two");
    String app = "observer-two-" + UUID.randomUUID();
    ObserverService one = start(topics, app);
    ObserverService two = start(topics, app);
    one.awaitRunning(Duration.ofSeconds(90));
    two.awaitRunning(Duration.ofSeconds(90));

    int clusters = 6;
    topics.send(SyntheticFleet.records(clusters, 2, 20));
    topics.committed(topics.settings.linkEventsTopic(),
        got -> ObserverTopics.envelopes(got).stream().map(Envelope::clusterId).distinct().count()
            == clusters, Duration.ofSeconds(90));

    Set<String> ownedByOne = partitions(one);
    Set<String> ownedByTwo = partitions(two);
    assertThat(ownedByOne).as("instance one's partitions").isNotEmpty();
    assertThat(ownedByTwo).as("instance two's partitions").isNotEmpty().doesNotContainAnyElementsOf(ownedByOne);
    for (int c = 0; c < clusters; c++) {
      String path = "/v1/links?cluster=" + enc(SyntheticFleet.cluster(c));
      JsonNode fromOne = json(get(one.apiPort(), path), 200);
      JsonNode fromTwo = json(get(two.apiPort(), path), 200);
      assertThat(fromOne.get("links")).as("cluster %s", c).hasSize(2);
      assertThat(fromTwo).isEqualTo(fromOne);
    }
  }

  private ObserverService start(ObserverTopics topics, String applicationId) {
    return start(topics, applicationId, Optional.empty());
  }

  private static ClusterSecret secret() {
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    return ClusterSecret.fromBytes(raw);
  }

  private ObserverService start(ObserverTopics topics, String applicationId, Optional<Path> secrets) {
    Path state = TempDirs.create("observer-state-");
    dirs.add(state);
    ObserverConfig config = new ObserverConfig(topics.settings, topics.kafka.bootstrapServers(),
        applicationId, state, new HostPort("127.0.0.1", 0), Optional.empty(),
        Optional.of(new HostPort("127.0.0.1", 0)), 1, Optional.empty(), 3, secrets, KafkaClientConfig.NONE);
    ObserverService s = ObserverService.start(config);
    running.add(s);
    return s;
  }

  private static Set<String> partitions(ObserverService s) throws IOException, InterruptedException {
    Set<String> out = new HashSet<>();
    json(get(s.apiPort(), "/v1/instance"), 200).get("activePartitions")
        .forEach(p -> out.add(p.asText()));
    return out;
  }

  /** State changes per cluster the synthetic fleet makes: one per flip of a link's state. */
  private static int expectedChanges() {
    int changes = 0;
    for (int n = 0; n < NODES; n++) {
      for (int p = 0; p < NODES; p++) {
        for (int pass = 1; p != n && pass < PASSES; pass++) {
          changes += SyntheticFleet.down(n, p, pass) != SyntheticFleet.down(n, p, pass - 1) ? 1 : 0;
        }
      }
    }
    return changes;
  }

  private static long count(List<Envelope> events, Class<?> type) {
    return events.stream().filter(e -> type.isInstance(e.payload())).count();
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> response, int status) throws IOException {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return EventCodec.mapper().readTree(response.body());
  }
}
