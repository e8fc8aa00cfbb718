package io.spanlog.observer.api;

import static io.spanlog.observer.Fleet.A;
import static io.spanlog.observer.Fleet.B;
import static io.spanlog.observer.Fleet.CLUSTER;
import static io.spanlog.observer.Fleet.t;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spanlog.events.EndpointSource;
import io.spanlog.events.EventCodec;
import io.spanlog.events.LinkMetricsWindow;
import io.spanlog.events.PeerSpecDiscrepancy;
import io.spanlog.events.PeerState;
import io.spanlog.observer.drift.DriftRecord;
import io.spanlog.observer.links.FlapHistory;
import io.spanlog.observer.links.LinkKey;
import io.spanlog.observer.links.LinkRecord;
import io.spanlog.observer.query.MemoryReads;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The read API over real HTTP on loopback, without Kafka: two instances, one holding the
 * cluster (reads from memory) and one relaying to it.
 */
class ObserverApiTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String C = URLEncoder.encode(CLUSTER, StandardCharsets.UTF_8);
  private static final String C_KEY = "Q0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0M=";

  private final Vertx vertx = Vertx.vertx();
  private final MemoryReads reads = new MemoryReads();
  private final AtomicReference<ClusterLocator.Location> atOwner = new AtomicReference<>();
  private final AtomicReference<ClusterLocator.Location> atOther = new AtomicReference<>();
  private final ObserverApi owner = api(atOwner, "owner:1");
  private final ObserverApi other = api(atOther, "other:2");
  private int ownerPort;
  private int otherPort;

  ObserverApiTest() throws Exception {
    ownerPort = owner.start("127.0.0.1", 0).await(10, TimeUnit.SECONDS);
    otherPort = other.start("127.0.0.1", 0).await(10, TimeUnit.SECONDS);
    atOwner.set(new ClusterLocator.Here(reads));
    atOther.set(new ClusterLocator.Elsewhere("127.0.0.1", ownerPort));
    LinkKey ab = new LinkKey(CLUSTER, A.key(), B.key());
    reads.links.add(Map.entry(ab, new LinkRecord(A.id(), B.id(), PeerState.UP, t(30), true,
        t(600), Optional.of("198.51.100.2:51820"), EndpointSource.PUBLIC_IP, "handshake", 1, 2,
        FlapHistory.NONE)));
    for (int m = 0; m < 3; m++) {
      reads.windows.add(Map.entry(ab, new LinkMetricsWindow(A.id(), A.key(), B.key(), B.id(),
          t(60L * m), t(60L * (m + 1)), 600, 60, 10.0, 1.0, 2, 0, 0)));
    }
  }

  private ObserverApi api(AtomicReference<ClusterLocator.Location> where, String self) {
    return new ObserverApi(vertx, cluster -> where.get(), Duration.ofHours(24),
        Duration.ofMinutes(1), cluster -> cluster.equals(CLUSTER),
        () -> Map.of("applicationServer", self), () -> self,
        Clock.fixed(t(3600), ZoneOffset.UTC));
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void anyInstanceAnswersForAClusterHeldByAnother() throws Exception {
    HttpResponse<String> here = get(ownerPort, "/v1/links?cluster=" + C);
    HttpResponse<String> relayed = get(otherPort, "/v1/links?cluster=" + C);

    assertThat(here.statusCode()).isEqualTo(200);
    assertThat(relayed.statusCode()).isEqualTo(200);
    assertThat(relayed.body()).isEqualTo(here.body());
    JsonNode links = EventCodec.mapper().readTree(here.body()).get("links");
    assertThat(links).hasSize(1);
    assertThat(links.get(0).get("rxBytesPerSecond").asDouble()).isEqualTo(10.0);
    assertThat(links.get(0).get("rateWindowStart").asText()).isEqualTo(t(120).toString());
  }

  @Test
  void aLinksWindowsAreAskedByNameOrKeyForATimeRange() throws Exception {
    JsonNode all = json(get(otherPort, "/v1/link-metrics?cluster=" + C + "&node=node-a&peer="
        + URLEncoder.encode(B.key(), StandardCharsets.UTF_8)), 200);
    JsonNode one = json(get(ownerPort, "/v1/link-metrics?cluster=" + C
        + "&node=node-a&peer=node-b&from=" + t(60) + "&to=" + t(60)), 200);
    // "59m" is 59 minutes before the (fixed) clock: t(3600) - 59m = t(60)
    JsonNode ago = json(get(ownerPort, "/v1/link-metrics?cluster=" + C
        + "&node=node-a&peer=node-b&from=59m"), 200);

    assertThat(all.get("windows")).hasSize(3);
    assertThat(all.get("retention").asText()).isEqualTo("PT24H");
    assertThat(one.get("windows")).hasSize(1);
    assertThat(one.get("windows").get(0).get("windowStart").asText()).isEqualTo(t(60).toString());
    assertThat(ago.get("windows")).hasSize(2);
    assertThat(json(get(ownerPort, "/v1/link-metrics?cluster=" + C + "&node=node-a&peer=node-z"),
        404).get("error").asText()).contains("has no node 'node-z'");
    assertThat(json(get(ownerPort, "/v1/link-metrics?cluster=" + C + "&node=node-a"), 400)
        .get("error").asText()).contains("peer is missing");
    assertThat(json(get(ownerPort, "/v1/link-metrics?cluster=" + C
        + "&node=node-a&peer=node-b&from=" + t(120) + "&to=" + t(60)), 400)
        .get("error").asText()).contains("is after to");
  }

  @Test
  void aClusterThatMovedOrIsNowhereIsA503WithTheReason() throws Exception {
    // the owner has lost the cluster to a third instance while the other relays to it
    atOwner.set(new ClusterLocator.Elsewhere("127.0.0.1", 1));
    assertThat(json(get(otherPort, "/v1/matrix?cluster=" + C), 503).get("error").asText())
        .contains("moved while other:2 relayed");

    atOwner.set(new ClusterLocator.Unavailable("no instance holds the cluster's partition right now"));
    assertThat(json(get(ownerPort, "/v1/matrix?cluster=" + C), 503).get("error").asText())
        .contains("no instance holds");

    atOther.set(new ClusterLocator.Elsewhere("127.0.0.1", 1)); // nothing listens on port 1
    assertThat(json(get(otherPort, "/v1/matrix?cluster=" + C), 502).get("error").asText())
        .contains("did not answer");
  }

  @Test
  void driftIsAnsweredPerNodeAndWithoutTheSecretSaysItIsNeeded() throws Exception {
    PeerSpecDiscrepancy missing = new PeerSpecDiscrepancy(PeerSpecDiscrepancy.Kind.MISSING_PEER,
        C_KEY, "node-c", Optional.empty(), t(30));
    reads.drift.add(Map.entry(A.key(), new DriftRecord(A.id(), t(120), List.of(missing),
        List.of(missing), Optional.of(t(30)))));
    reads.drift.add(Map.entry(B.key(), new DriftRecord(B.id(), t(120), List.of(), List.of(),
        Optional.empty())));

    JsonNode drift = json(get(otherPort, "/v1/drift?cluster=" + C), 200);
    JsonNode other = json(get(ownerPort, "/v1/drift?cluster=other"), 200);

    assertThat(drift.get("secretRegistered").asBoolean()).isTrue();
    assertThat(drift.get("drifting").asInt()).isEqualTo(1);
    assertThat(drift.get("grace").asText()).isEqualTo("PT1M");
    JsonNode a = drift.get("nodes").get(0);
    assertThat(a.get("nodeName").asText()).isEqualTo("node-a");
    assertThat(a.get("driftingSince").asText()).isEqualTo(t(30).toString());
    assertThat(a.get("discrepancies").get(0).get("kind").asText()).isEqualTo("missing-peer");
    assertThat(drift.get("nodes").get(1).get("driftingSince").isNull()).isTrue();
    assertThat(other.get("secretRegistered").asBoolean()).isFalse();
    assertThat(other.get("note").asText()).contains("needs the cluster's secret");
  }

  @Test
  void wrongRequestsGetAStatusAndASentence() throws Exception {
    HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + ownerPort + "/v1/links?cluster=" + C))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(json(post, 405).get("error").asText()).contains("read-only");
    assertThat(post.headers().firstValue("allow")).contains("GET, HEAD");
    assertThat(json(get(ownerPort, "/v1/links"), 400).get("error").asText())
        .contains("?cluster=<cluster id>");
    assertThat(json(get(ownerPort, "/v1/instance"), 200).get("applicationServer").asText())
        .isEqualTo("owner:1");
  }

  private static HttpResponse<String> get(int port, String path)
      throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> r, int status) throws IOException {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return EventCodec.mapper().readTree(r.body());
  }
}
