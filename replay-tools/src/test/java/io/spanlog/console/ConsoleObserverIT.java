package io.spanlog.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.affiliate.ClusterSecretFile;
import io.spanlog.ctl.ObserverAddress;
import io.spanlog.events.EndpointSource;
import io.spanlog.events.Envelope;
import io.spanlog.events.EventCodec;
import io.spanlog.events.HandshakeSampleBatch;
import io.spanlog.events.PeerSample;
import io.spanlog.events.PeerState;
import io.spanlog.kafka.KafkaClientConfig;
import io.spanlog.net.HostPort;
import io.spanlog.observer.ObserverSettings;
import io.spanlog.observer.service.ObserverConfig;
import io.spanlog.observer.service.ObserverService;
import io.spanlog.telemetry.TelemetrySeal;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The console with a real endpoint observer on the test broker: three nodes' sealed telemetry (as
 * the discovery service appends it) every second for 20 s; node-3 stops reporting after 3 s. The observer derives the link events, the per-window RX/TX on the link metrics
 * topic and node-3's silence; the console shows, for now, the observer's live links with their
 * rates ({@code --observer}); at an instant of the slider, the links and rates of the log; in the
 * fleet, node-3 as a node without discovery; with the observer unreachable, a notice and the log's
 * links.
 */
@Timeout(300)
class ConsoleObserverIT {
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  static ConsoleHistory history;
  static String cluster;
  static ObserverService observer;
  static Path dir;
  static Instant start;

  @BeforeAll
  static void record() throws Exception {
    history = new ConsoleHistory();
    var h = history.h;
    cluster = "observed-" + h.prefix;
    for (int n = 1; n <= 3; n++) {
      h.update(cluster, n, h.data(n, "host-o" + n), h.endpoint("10.0.2." + n, 51820));
    }
    dir = Files.createTempDirectory("console-observer-it-");
    Path secrets = Files.createDirectories(dir.resolve("secrets"));
    Path file = secrets.resolve("observed.yaml");
    Files.writeString(file, ClusterSecretFile.render(new ClusterSecretFile.Entry(cluster, h.secret)));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    ObserverSettings settings = ObserverSettings.defaults()
        .withTopics(h.prefix + ".telemetry", h.prefix + ".link-events", h.prefix + ".link-metrics", h.prefix + ".dead-letter")
        .withDiscoveryTopic(h.prefix + ".events")
        .withMetrics(Duration.ofSeconds(1), Duration.ofSeconds(1))
        .withSilence(Duration.ofSeconds(5), Duration.ofSeconds(1));
    observer = ObserverService.start(new ObserverConfig(settings, h.kafka.bootstrapServers(),
        "console-observer-it-" + UUID.randomUUID(), Files.createDirectories(dir.resolve("state")),
        new HostPort("127.0.0.1", 0), Optional.empty(), Optional.empty(), 1, Optional.empty(), 3,
        Optional.of(secrets), KafkaClientConfig.NONE));
    observer.awaitRunning(Duration.ofSeconds(90));

    // 20 s of reconciles every second (the observer's windows are 1 s here), sampled from the next
    // second on, after the recorded discovery history began; node-3 falls silent after 3 s
    TelemetrySeal seal = new TelemetrySeal(h.secret);
    start = Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.SECONDS);
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(h.kafka.producerConfig())) {
      for (int tick = 0; tick <= 20; tick++) {
        Instant at = start.plusSeconds(tick);
        for (int n = 1; n <= 3; n++) {
          if (n == 3 && tick > 3) {
            continue;
          }
          List<PeerSample> peers = new ArrayList<>();
          for (int peer = 1; peer <= 3; peer++) {
            if (peer != n) {
              long rx = tick * 1_000L * n; // node-n receives 1,000·n B/s from each peer
              peers.add(new PeerSample(h.publicKey(peer), "node-" + peer, Optional.of("10.0.2." + peer + ":51820"),
                  EndpointSource.ADVERTISED, 0, 1, Optional.of(start),
                  tick == 0 ? Optional.empty() : Optional.of(at.minusSeconds(1)), rx, rx / 2,
                  // the first sample is the observer's baseline (no event): unknown, then up, a link event
                  tick == 0 ? PeerState.UNKNOWN : PeerState.UP, tick == 0 ? "no handshake yet" : "handshake 1 s ago"));
            }
          }
          HandshakeSampleBatch batch = new HandshakeSampleBatch("node-" + n, h.publicKey(n), true, peers, Optional.of(at));
          Instant appended = at.plusMillis(200);
          Envelope e = new Envelope(UUID.randomUUID().toString(), cluster, h.publicKey(n), appended,
              "discovery-projector@test", seal.seal(cluster, batch));
          p.send(new ProducerRecord<>(h.prefix + ".telemetry", null, appended.toEpochMilli(),
              cluster.getBytes(StandardCharsets.UTF_8), EventCodec.encode(e))).get();
        }
      }
    }
    // appended as the discovery service appends them: by the time the last was sampled
    while (Instant.now().isBefore(start.plusSeconds(21))) {
      Thread.sleep(200);
    }
    // the observer has the links with rates, and the console's tail has its events
    history.start(Optional.empty(), Optional.of(new ObserverAddress("127.0.0.1", observer.apiPort())));
    await("the observer's rates and node-3's silence", () -> {
      JsonObject links = new JsonObject(get("http://127.0.0.1:" + observer.apiPort() + "/v1/links?cluster=" + enc(cluster)).body());
      boolean rates = links.getJsonArray("links").stream().map(JsonObject.class::cast)
          .anyMatch(l -> l.getValue("rxBytesPerSecond") instanceof Number);
      return rates && fleetRow(history.console.url()).map(r -> r.getInteger("withoutDiscovery") == 1).orElse(false);
    });
  }

  @AfterAll
  static void stop() throws Exception {
    if (observer != null) {
      observer.close();
    }
    if (history != null) {
      history.close();
    }
  }

  static void await(String what, Callable<Boolean> done) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!done.call()) {
      assertThat(System.nanoTime()).as("within 90 s: " + what).isLessThan(deadline);
      Thread.sleep(500);
    }
  }

  static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static Optional<JsonObject> fleetRow(String base) throws Exception {
    return new JsonObject(get(base + "api/fleet").body()).getJsonArray("clusters").stream().map(JsonObject.class::cast)
        .filter(c -> c.getString("cluster").equals(cluster)).findFirst();
  }

  static JsonObject link(JsonObject view, String node, String peer) {
    return view.getJsonArray("links").stream().map(JsonObject.class::cast)
        .filter(l -> l.getString("node").equals(node) && l.getString("peer").equals(peer)).findFirst().orElseThrow();
  }

  @Test
  void nowIsTheObserversLiveViewWithRates() throws Exception {
    HttpResponse<String> r = get(history.console.url() + "api/cluster/" + enc(cluster));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonObject view = new JsonObject(r.body());
    assertThat(view.getJsonObject("observer").getBoolean("live")).isTrue();
    assertThat(view.getJsonObject("observer").containsKey("notice")).isFalse();
    JsonObject l = link(view, "node-2", "node-1");
    assertThat(l.getString("from")).isEqualTo("observer");
    assertThat(l.getString("state")).isEqualTo("up");
    assertThat(l.getString("endpoint")).isEqualTo("10.0.2.1:51820");
    // node-2 receives 2,000 B/s from node-1 and sends half as much (its counters above)
    assertThat(l.getDouble("rxPerSecond")).isEqualTo(2000.0);
    assertThat(l.getDouble("txPerSecond")).isEqualTo(1000.0);
    assertThat(view.getJsonArray("rows")).hasSize(3);
  }

  @Test
  void theSliderInstantShowsTheLogsLinksAndTheRatesOfItsWindow() throws Exception {
    Instant at = start.plusMillis(9_500); // inside the window [9 s, 10 s) of the observer's 1 s windows
    HttpResponse<String> r = get(history.console.url() + "api/cluster/" + enc(cluster) + "?at=" + enc(at.toString()));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonObject view = new JsonObject(r.body());
    assertThat(view.containsKey("observer")).as("the slider's instant is the log's, not the observer's").isFalse();
    JsonObject l = link(view, "node-1", "node-2");
    assertThat(l.getString("from")).isEqualTo("link-events");
    assertThat(l.getDouble("rxPerSecond")).isEqualTo(1000.0);
    assertThat(l.getDouble("txPerSecond")).isEqualTo(500.0);
    assertThat(Instant.parse(l.getString("rateFrom"))).isEqualTo(start.plusSeconds(9));
  }

  @Test
  void theFleetCountsTheSilentNodeAsWithoutDiscovery() throws Exception {
    JsonObject row = fleetRow(history.console.url()).orElseThrow();
    assertThat(row.getInteger("withoutDiscovery")).isEqualTo(1);
    assertThat(row.getInteger("nodes")).isEqualTo(3);
  }

  @Test
  void anUnreachableObserverIsANoticeAndTheLogsLinks() throws Exception {
    io.spanlog.console.server.ConsoleServer other = history.another(Optional.of(new ObserverAddress("127.0.0.1", closedPort())));
    try {
      HttpResponse<String> r = get(other.url() + "api/cluster/" + enc(cluster));
      // the page still opens, and says so
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonObject view = new JsonObject(r.body());
      assertThat(view.getJsonObject("observer").getBoolean("live")).isFalse();
      assertThat(view.getJsonObject("observer").getString("notice"))
          .contains("cannot connect to the observer at 127.0.0.1:").contains("the matrix shows the log's links");
      assertThat(link(view, "node-2", "node-1").getString("from")).isEqualTo("link-events");
      assertThat(link(view, "node-2", "node-1").getString("state")).isEqualTo("up");
    } finally {
      other.close();
    }
  }

  static int closedPort() throws Exception {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort(); // closed again when the test asks it
    }
  }
}
