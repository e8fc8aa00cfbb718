package io.spanlog.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.affiliate.ClusterSecretFile;
import io.spanlog.affiliate.DecodedAffiliate;
import io.spanlog.affiliate.KubeSpanInfo;
import io.spanlog.agent.config.DiscoveryTarget;
import io.spanlog.agent.config.TelemetryMode;
import io.spanlog.agent.discovery.DiscoveryClient;
import io.spanlog.agent.discovery.LocalAffiliate;
import io.spanlog.agent.status.HarvestedEndpoint;
import io.spanlog.agent.telemetry.TelemetryReporter;
import io.spanlog.discovery.server.DiscoveryConfig;
import io.spanlog.discovery.server.DiscoveryServer;
import io.spanlog.events.EndpointSource;
import io.spanlog.events.EventCodec;
import io.spanlog.events.HandshakeSampleBatch;
import io.spanlog.events.LinkStateChanged;
import io.spanlog.events.PeerSample;
import io.spanlog.events.PeerState;
import io.spanlog.infra.testing.KafkaFixture;
import io.spanlog.infra.testing.TempDirs;
import io.spanlog.kafka.KafkaClientConfig;
import io.spanlog.net.Endpoint;
import io.spanlog.net.HostPort;
import io.spanlog.net.IpText;
import io.spanlog.observer.ObserverSettings;
import io.spanlog.observer.service.ObserverConfig;
import io.spanlog.observer.service.ObserverService;
import io.spanlog.topics.TopicCatalogue;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code spanlog ctl history timeline} on a history recorded by the real parts: a real broker, the
 * real discovery service (agents' own discovery clients publish the three nodes, and node-3 a
 * harvested endpoint for node-2), sealed sample batches sent through the agents' telemetry
 * reporter, and the real endpoint observer deriving the link events. The script: node-1 sees
 * node-2 up through its advertised endpoint, then down (no handshake), cycles to the harvested
 * endpoint, and up again; node-2 loses its discovery service for a while.
 */
@Timeout(240)
class HistoryTimelineIT {
  static final String ADVERTISED = "10.0.0.2:51820";
  static final String HARVESTED = "198.51.100.2:40000";
  static final String[] KEYS = {key(), key(), key()};
  static String cluster;
  static ClusterSecret secret;
  static Path dir;
  static Path secrets;
  static KafkaFixture kafka;
  static Vertx vertx;
  static DiscoveryServer discovery;
  static ObserverService observer;
  static final List<DiscoveryClient> clients = new ArrayList<>();
  static Instant started;

  static String key() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    return Base64.getEncoder().encodeToString(k);
  }

  @BeforeAll
  static void recordAnIncident() throws Exception {
    started = Instant.now();
    cluster = "timeline-it-" + UUID.randomUUID();
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    secret = ClusterSecret.fromBytes(raw);
    dir = TempDirs.create("spanlog-timeline-it-");
    secrets = Files.createDirectories(dir.resolve("secrets"));
    Path file = secrets.resolve("cluster");
    Files.writeString(file, ClusterSecretFile.render(new ClusterSecretFile.Entry(cluster, secret)));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

    kafka = KafkaFixture.shared();
    kafka.installTopics();
    discovery = DiscoveryServer.start(DiscoveryConfig.defaults(kafka.bootstrapServers(), "timeline-it")
        .withPorts("127.0.0.1", 0, -1));
    observer = ObserverService.start(new ObserverConfig(ObserverSettings.defaults(), kafka.bootstrapServers(),
        "timeline-it-observer-" + UUID.randomUUID(), Files.createDirectories(dir.resolve("observer")),
        new HostPort("127.0.0.1", 0), Optional.empty(), Optional.empty(), 1, Optional.empty(),
        TopicCatalogue.DEFAULT_PARTITIONS, Optional.of(secrets), KafkaClientConfig.NONE));
    vertx = Vertx.vertx();
    DiscoveryTarget target = new DiscoveryTarget("127.0.0.1", discovery.port(), false, Optional.empty());

    for (int n = 1; n <= 3; n++) {
      DiscoveryClient c = new DiscoveryClient(vertx, DiscoveryClient.Settings.ofNode(List.of(target), cluster,
          "aff-" + n, secret), view -> { });
      c.start();
      c.publish(new LocalAffiliate(affiliate(n), List.of(Endpoint.parse("10.0.0." + n + ":51820"))));
      clients.add(c);
    }
    TelemetryReporter node1 = reporter(target);
    TelemetryReporter node2 = reporter(target);
    awaitDiscoveryEvents(3);

    // up through the advertised endpoint
    for (int i = 0; i < 3; i++) {
      send(node1, node2, sample(ADVERTISED, EndpointSource.ADVERTISED, 0, 1, PeerState.UP, "handshake 5 s ago"), true);
    }
    // the path is cut; node-2 also loses its discovery service; node-3 harvests a NAT mapping of node-2
    send(node1, node2, sample(ADVERTISED, EndpointSource.ADVERTISED, 0, 1, PeerState.UP, "last handshake 100 s ago"), false);
    clients.get(2).publishHarvested(List.of(new HarvestedEndpoint(KEYS[1], "aff-2", Endpoint.parse(HARVESTED))));
    awaitDiscoveryEvents(4);
    for (int i = 0; i < 2; i++) {
      send(node1, node2, sample(ADVERTISED, EndpointSource.ADVERTISED, 0, 2, PeerState.DOWN,
          "no handshake for 280 s, limit 275 s (endpoint unchanged for 390 s)"), false);
    }
    // cycling to the harvested candidate, then a handshake through it
    send(node1, node2, sample(HARVESTED, EndpointSource.HARVESTED, 1, 2, PeerState.DOWN,
        "endpoint changed 1 s ago, waiting up to 15 s for a handshake"), true);
    for (int i = 0; i < 3; i++) {
      send(node1, node2, sample(HARVESTED, EndpointSource.HARVESTED, 1, 2, PeerState.UP,
          "handshake since the endpoint change 2 s ago"), true);
    }
    awaitLinkEvents(2);
  }

  static DecodedAffiliate affiliate(int n) {
    return new DecodedAffiliate("aff-" + n, List.of(IpText.parse("10.0.0." + n)), "host-" + n, "node-" + n, "worker",
        "Talos", Optional.of(new KubeSpanInfo(KEYS[n - 1], IpText.parse("fd00::" + n), List.of(), List.of())));
  }

  static TelemetryReporter reporter(DiscoveryTarget target) {
    return new TelemetryReporter(vertx, new TelemetryReporter.Settings(target, cluster, secret, TelemetryMode.ON,
        TelemetryReporter.Settings.DEFAULT_BACKLOG));
  }

  static long rx;
  static String lastEndpoint;
  static Instant lastEndpointChange;

  static PeerSample sample(String endpoint, EndpointSource source, int index, int candidates, PeerState state,
      String rule) {
    Instant now = Instant.now();
    if (!endpoint.equals(lastEndpoint)) {
      lastEndpointChange = lastEndpoint == null ? started : now;
      lastEndpoint = endpoint;
    }
    rx += state == PeerState.UP ? 100_000 : 0;
    return new PeerSample(KEYS[1], "node-2", Optional.of(endpoint), source, index, candidates,
        Optional.of(lastEndpointChange), Optional.of(now.minusSeconds(5)), rx, rx / 2, state, rule);
  }

  /** One reconcile of each: node-1's batch about node-2, node-2's about node-1. */
  static void send(TelemetryReporter node1, TelemetryReporter node2, PeerSample toNode2, boolean node2Reaches)
      throws Exception {
    Instant now = Instant.now();
    node1.report(new HandshakeSampleBatch("aff-1", KEYS[0], true, List.of(toNode2), Optional.of(now)))
        .await(30, TimeUnit.SECONDS);
    PeerSample toNode1 = new PeerSample(KEYS[0], "node-1", Optional.of("10.0.0.1:51820"), EndpointSource.ADVERTISED, 0,
        1, Optional.of(started), Optional.of(now.minusSeconds(5)), 0, 0, PeerState.UP, "handshake 5 s ago");
    node2.report(new HandshakeSampleBatch("aff-2", KEYS[1], node2Reaches, List.of(toNode1), Optional.of(now)))
        .await(30, TimeUnit.SECONDS);
    Thread.sleep(400);
  }

  static void awaitDiscoveryEvents(int n) throws InterruptedException {
    awaitRecords(TopicCatalogue.DISCOVERY_EVENTS, n, r -> true);
  }

  static void awaitLinkEvents(int changes) throws InterruptedException {
    awaitRecords(TopicCatalogue.LINK_EVENTS, changes,
        r -> EventCodec.decode(r.value()).payload() instanceof LinkStateChanged c && c.nodePublicKey().equals(KEYS[0])
            && c.peerPublicKey().equals(KEYS[1]) && c.from() != PeerState.UNKNOWN);
  }

  static void awaitRecords(String topic, int n, java.util.function.Predicate<ConsumerRecord<byte[], byte[]>> which)
      throws InterruptedException {
    Map<String, Object> config = kafka.consumerConfig("timeline-it-" + UUID.randomUUID());
    config.put("isolation.level", "read_committed");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      int seen = 0;
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(300))) {
          if (new String(r.key(), StandardCharsets.UTF_8).equals(cluster) && which.test(r)) {
            seen++;
          }
        }
        if (seen >= n) {
          return;
        }
      }
      throw new AssertionError("only " + seen + " of " + n + " expected records of " + cluster + " on " + topic
          + " within 60 s");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    clients.forEach(c -> c.stop().toCompletionStage().toCompletableFuture().join());
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
    if (observer != null) {
      observer.close();
    }
    if (discovery != null) {
      discovery.close();
    }
    if (dir != null) {
      TempDirs.deleteRecursively(dir);
    }
  }

  static List<String> timeline(String... more) {
    List<String> args = new ArrayList<>(List.of("history", "timeline", "--bootstrap", kafka.bootstrapServers(),
        "--cluster", cluster, "--from", started.minusSeconds(5).toString(), "--to", Instant.now().toString()));
    args.addAll(List.of(more));
    return args;
  }

  static int index(JsonNode entries, String kind, String key, String value) {
    for (int i = 0; i < entries.size(); i++) {
      JsonNode e = entries.get(i);
      if (e.path("kind").asText().equals(kind) && e.path("details").path(key).asText().equals(value)) {
        return i;
      }
    }
    throw new AssertionError("no " + kind + " with " + key + "=" + value + " in " + entries.toPrettyString());
  }

  @Test
  void tellsDownTheEndpointChangeAndTheRecoveryInOrderWithProvenance() throws Exception {
    Path html = dir.resolve("page").resolve("link.html");
    CtlRun run = CtlRun.of(timeline("--link", "node-1:node-2", "--secrets", secrets.toString(), "-o", "json",
        "--html", html.toString()).toArray(String[]::new));
    assertThat(run.code()).as(run.err()).isZero();
    JsonNode tl = EventCodec.mapper().readTree(run.out());
    JsonNode entries = tl.get("entries");
    System.out.println(run.err());

    assertThat(tl.get("stateSource").asText()).isEqualTo("OBSERVER");
    int down = index(entries, "STATE_CHANGED", "to", "down");
    int cycled = index(entries, "ENDPOINT_CYCLED", "endpoint", HARVESTED);
    int up = index(entries, "STATE_CHANGED", "to", "up");
    assertThat(down).isLessThan(cycled);
    assertThat(cycled).isLessThan(up);
    assertThat(entries.get(down).path("details").path("rule").asText()).contains("no handshake for 280 s");
    assertThat(entries.get(cycled).path("details").path("source").asText()).isEqualTo("harvested");
    assertThat(entries.get(up).path("details").path("source").asText()).isEqualTo("harvested");
    JsonNode added = entries.get(index(entries, "ENDPOINT_ADDED", "endpoint", HARVESTED));
    assertThat(added.path("about").asText()).isEqualTo("PEER");
    assertThat(added.path("details").path("source").asText()).isEqualTo("harvested");
    assertThat(added.path("details").path("by").asText()).isEqualTo("another node");
    assertThat(added.path("details").path("writer").asText()).isEqualTo("127.0.0.1");
    assertThat(entries.findValuesAsText("kind")).contains("DISCOVERY_UNREACHABLE", "DISCOVERY_REACHABLE");
    assertThat(run.err()).contains("wrote the timeline page to " + html.toAbsolutePath());
    assertThat(Files.readString(html)).contains("<svg id=\"state-bands\"", "band state-down", "<svg id=\"rates\"");
  }

  @Test
  void theTableTellsTheSameStoryByPublicKeys() {
    CtlRun run = CtlRun.of(timeline("--link", KEYS[0] + ":" + KEYS[1], "--secrets", secrets.toString())
        .toArray(String[]::new));
    System.out.println(run.out());

    assertThat(run.code()).as(run.err()).isZero();
    String out = run.out();
    assertThat(out).contains("node-1 \u2192 node-2", "state-changed", "endpoint-cycled", "endpoint-added");
    int down = out.indexOf("up \u2192 down");
    int cycled = out.indexOf("cycled to " + HARVESTED);
    int up = out.indexOf("down \u2192 up");
    assertThat(down).isPositive().isLessThan(cycled);
    assertThat(cycled).isLessThan(up);
  }

  @Test
  void aLinkThatNeverExistedIsOneSentenceAndExit1() {
    CtlRun run = CtlRun.of(timeline("--link", "node-3:node-1", "--secrets", secrets.toString()).toArray(String[]::new));

    assertThat(run.code()).isEqualTo(ExitCodes.FAILURE);
    assertThat(run.err().strip()).startsWith("spanlog ctl: there is no link node-3 \u2192 node-1 in cluster " + cluster)
        .doesNotContain("Exception").hasLineCount(1);
  }

  @Test
  void anUnknownNodeNamesTheKnownOnes() {
    CtlRun run = CtlRun.of(timeline("--link", "node-1:node-9", "--secrets", secrets.toString()).toArray(String[]::new));

    assertThat(run.code()).isEqualTo(ExitCodes.FAILURE);
    assertThat(run.err().strip()).isEqualTo("spanlog ctl: no node named 'node-9' (PEER) appears in cluster " + cluster
        + "'s log; nodes it names: node-1, node-2, node-3");
  }

  @Test
  void anUnknownClusterIsOneSentence() {
    CtlRun run = CtlRun.of("history", "timeline", "--bootstrap", kafka.bootstrapServers(), "--cluster", "no-such-cluster-x",
        "--link", "a:b", "--from", "-5m");

    assertThat(run.code()).isEqualTo(ExitCodes.FAILURE);
    assertThat(run.err().strip()).startsWith("spanlog ctl: cluster no-such-cluster-x has no record in the log ")
        .hasLineCount(1);
  }

  @Test
  void aWrongSecretIsOneSentenceWithoutTheSecret() throws Exception {
    Path wrong = Files.createDirectories(dir.resolve("wrong-secrets"));
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    ClusterSecret other = ClusterSecret.fromBytes(raw);
    Path file = wrong.resolve("cluster");
    Files.writeString(file, ClusterSecretFile.render(new ClusterSecretFile.Entry(cluster, other)));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    CtlRun run = CtlRun.of(timeline("--link", "node-1:node-2", "--secrets", wrong.toString()).toArray(String[]::new));

    assertThat(run.code()).isEqualTo(ExitCodes.FAILURE);
    assertThat(run.err()).contains("spanlog ctl: the secret given for cluster " + cluster + " opens none of its")
        .doesNotContain(other.revealBase64()).doesNotContain(secret.revealBase64());
  }

  @Test
  void aSecretsDirectoryWithoutTheClusterIsOneSentence() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("no-secrets"));
    CtlRun run = CtlRun.of(timeline("--link", "node-1:node-2", "--secrets", empty.toString()).toArray(String[]::new));

    assertThat(run.code()).isEqualTo(ExitCodes.FAILURE);
    assertThat(run.err().strip()).startsWith("spanlog ctl: no secret for cluster " + cluster + " in " + empty)
        .hasLineCount(1);
  }
}
