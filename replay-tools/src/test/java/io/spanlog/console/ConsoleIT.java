package io.spanlog.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.events.PeerState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
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
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * The console over plain HTTP against a real broker and a history recorded by a real discovery
 * service: the fleet's counts, a cluster's matrix and decrypted affiliates now and at an earlier
 * instant, a live link change pushed as a server-sent event, ids with '/', each bad URL's status
 * and sentence, and the address/auth rules of {@code ./spanlog console}.
 */
@Timeout(300)
class ConsoleIT {
  static ConsoleHistory history;
  static String base;
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @BeforeAll
  static void start() throws Exception {
    history = new ConsoleHistory();
    base = history.start(java.util.Optional.empty()).url();
  }

  @AfterAll
  static void stop() {
    if (history != null) {
      history.close();
    }
  }

  static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + path.substring(1))).timeout(Duration.ofSeconds(60)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static JsonObject fleetRow(String cluster) throws Exception {
    HttpResponse<String> r = get("/api/fleet");
    assertThat(r.statusCode()).isEqualTo(200);
    return new JsonObject(r.body()).getJsonArray("clusters").stream().map(JsonObject.class::cast)
        .filter(c -> c.getString("cluster").equals(cluster)).findFirst().orElseThrow();
  }

  static String cell(JsonObject view, String node, String peer) {
    return view.getJsonArray("links").stream().map(JsonObject.class::cast)
        .filter(l -> l.getString("node").equals(node) && l.getString("peer").equals(peer))
        .map(l -> l.getString("state")).findFirst().orElse(null);
  }

  @Test
  void fleetPageAndItsCounts() throws Exception {
    HttpResponse<String> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<table id=\"fleet\"").contains("/static/fleet.js").doesNotContain("http://", "https://");
    assertThat(get("/static/fleet.js").statusCode()).isEqualTo(200);
    assertThat(get("/static/cluster.js").statusCode()).isEqualTo(200);
    JsonObject row = fleetRow(history.slashCluster);
    assertThat(row.getInteger("nodes")).isEqualTo(2);
    assertThat(row.getInteger("up")).isEqualTo(1);
  }

  @Test
  void clusterAtAnInstantWithDecryptedAffiliates() throws Exception {
    HttpResponse<String> page = get("/cluster/" + enc(history.h.cluster));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<canvas id=\"matrix\"");
    HttpResponse<String> r = get("/api/cluster/" + enc(history.h.cluster) + "?at=" + enc(history.allUp.toString()));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonObject view = new JsonObject(r.body());
    assertThat(view.getBoolean("decrypted")).isTrue();
    assertThat(cell(view, "node-1", "node-2")).isEqualTo("up");
    assertThat(cell(view, "node-3", "node-1")).isEqualTo("up");
    assertThat(view.getJsonArray("nodes")).hasSize(3);
    JsonArray affiliates = view.getJsonArray("affiliates");
    assertThat(affiliates.stream().map(JsonObject.class::cast).map(a -> a.getString("hostname")))
        .containsExactlyInAnyOrder("host-1", "host-2", "host-3");
    assertThat(view.getString("retainedFrom")).isNotNull();
  }

  @Test
  void withoutTheSecretAffiliatesAreOpaque() throws Exception {
    HttpResponse<String> r = get("/api/cluster/" + enc(history.slashCluster));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonObject view = new JsonObject(r.body());
    assertThat(view.getBoolean("decrypted")).isFalse();
    JsonObject a = view.getJsonArray("affiliates").getJsonObject(0);
    assertThat(a.getString("id")).isEqualTo("node-1");
    assertThat(a.containsKey("hostname")).isFalse();
    assertThat(r.body()).doesNotContain("host-s1");
    assertThat(cell(view, "node-1", "node-2")).isEqualTo("up");
    // the deep link of a cluster whose id has a '/'
    assertThat(get("/cluster/" + enc(history.slashCluster) + "?at=" + enc(history.allUp.toString())).statusCode())
        .isEqualTo(200);
  }

  @Test
  void aLinkEventIsPushedLiveAndTheEarlierInstantStillShowsItUp() throws Exception {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    HttpRequest sse = HttpRequest.newBuilder(URI.create(base + "api/events")).build();
    var pending = HTTP.sendAsync(sse, HttpResponse.BodyHandlers.ofLines());
    HttpResponse<Stream<String>> stream = pending.get(30, TimeUnit.SECONDS);
    assertThat(stream.headers().firstValue("Content-Type")).hasValue("text/event-stream");
    Thread reader = new Thread(() -> stream.body().forEach(lines::add));
    reader.setDaemon(true);
    reader.start();
    assertThat(lines.poll(30, TimeUnit.SECONDS)).isEqualTo(": connected");

    history.link(history.h.cluster, 2, 3, PeerState.DOWN);
    String data = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (data == null && System.nanoTime() < deadline) {
      String l = lines.poll(1, TimeUnit.SECONDS);
      if (l != null && l.startsWith("data: ") && l.contains(history.h.cluster)) {
        data = l.substring(6);
      }
    }
    assertThat(data).as("a server-sent event within 30 s of the link event").isNotNull();
    JsonObject msg = new JsonObject(data);
    assertThat(msg.getJsonObject("link").getString("state")).isEqualTo("down");
    assertThat(msg.getJsonObject("link").getString("node")).isEqualTo("node-2");
    assertThat(msg.getJsonObject("summary").getInteger("down")).isEqualTo(1);
    stream.body().close();

    assertThat(fleetRow(history.h.cluster).getInteger("down")).isEqualTo(1);
    // the fleet is worst first: the cluster with a link down comes before the other
    JsonArray order = new JsonObject(get("/api/fleet").body()).getJsonArray("clusters");
    int down = -1;
    int fine = -1;
    for (int i = 0; i < order.size(); i++) {
      String c = order.getJsonObject(i).getString("cluster");
      down = c.equals(history.h.cluster) ? i : down;
      fine = c.equals(history.slashCluster) ? i : fine;
    }
    assertThat(down).isLessThan(fine);

    JsonObject now = new JsonObject(get("/api/cluster/" + enc(history.h.cluster)).body());
    assertThat(cell(now, "node-2", "node-3")).isEqualTo("down");
    JsonObject before = new JsonObject(get("/api/cluster/" + enc(history.h.cluster) + "?at="
        + enc(history.allUp.toString())).body());
    assertThat(cell(before, "node-2", "node-3")).isNotEqualTo("down");
  }

  @Test
  void aSilentNodeCountsAsWithoutDiscoveryLiveUntilItReportsAgain() throws Exception {
    String quiet = "quiet-" + history.h.cluster;
    history.link(quiet, 1, 2, PeerState.UP);
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    HttpResponse<Stream<String>> stream = HTTP.sendAsync(HttpRequest.newBuilder(URI.create(base + "api/events")).build(),
        HttpResponse.BodyHandlers.ofLines()).get(30, TimeUnit.SECONDS);
    Thread reader = new Thread(() -> stream.body().forEach(lines::add));
    reader.setDaemon(true);
    reader.start();
    assertThat(lines.poll(30, TimeUnit.SECONDS)).isEqualTo(": connected");

    history.silent(quiet, 2, false);
    JsonObject summary = summaryEvent(lines, quiet);
    assertThat(summary.getInteger("withoutDiscovery")).isEqualTo(1);
    assertThat(fleetRow(quiet).getInteger("withoutDiscovery")).isEqualTo(1);
    assertThat(fleetRow(quiet).getInteger("nodes")).isEqualTo(2);

    history.silent(quiet, 2, true);
    assertThat(summaryEvent(lines, quiet).getInteger("withoutDiscovery")).isEqualTo(0);
    assertThat(fleetRow(quiet).getInteger("withoutDiscovery")).isEqualTo(0);
    stream.body().close();
  }

  /** The next server-sent "summary" event of a cluster, within 30 s. */
  static JsonObject summaryEvent(BlockingQueue<String> lines, String cluster) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    boolean summary = false;
    while (System.nanoTime() < deadline) {
      String l = lines.poll(1, TimeUnit.SECONDS);
      if (l == null) {
        continue;
      }
      if (l.startsWith("event: ")) {
        summary = l.equals("event: summary");
      } else if (summary && l.startsWith("data: ")) {
        JsonObject s = new JsonObject(l.substring(6)).getJsonObject("summary");
        if (s.getString("cluster").equals(cluster)) {
          return s;
        }
      }
    }
    throw new AssertionError("no summary event of " + cluster + " within 30 s");
  }

  @Test
  void unknownClusterIs404WithASentence() throws Exception {
    HttpResponse<String> page = get("/cluster/no-such-cluster");
    assertThat(page.statusCode()).isEqualTo(404);
    assertThat(page.body()).contains("unknown cluster &#39;no-such-cluster&#39;: no event of it");
    HttpResponse<String> api = get("/api/cluster/no-such-cluster");
    assertThat(api.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(api.body()).getString("error")).contains("unknown cluster");
  }

  @Test
  void aLinkPageDrawsTheLinksTimeline() throws Exception {
    HttpResponse<String> page = get("/cluster/" + enc(history.h.cluster) + "/link/node-1/node-2");
    assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
    assertThat(page.body()).contains("<svg").contains("node-1").contains("node-2")
        .contains("id=\"zoom-out\"").contains("<script"); // zoom: drag across the bands (ConsoleBrowserIT)

    HttpResponse<String> file = get("/cluster/" + enc(history.h.cluster) + "/link/node-1/node-2?download=1");
    assertThat(file.statusCode()).isEqualTo(200);
    assertThat(file.headers().firstValue("Content-Disposition")).hasValueSatisfying(v ->
        assertThat(v).startsWith("attachment; filename=\"spanlog-node-1-node-2-").endsWith(".html\""));
    assertThat(file.body()).as("the self-contained file: no script, no links back to the console")
        .contains("id=\"state-bands\"").doesNotContain("<script").doesNotContain("zoom-out");
    assertThat(get("/cluster/" + enc(history.h.cluster) + "/link/node-1/node-2?from=now&to=-1h").statusCode())
        .isEqualTo(400);
  }

  @Test
  void unknownLinkIs404WithASentence() throws Exception {
    HttpResponse<String> page = get("/cluster/" + enc(history.h.cluster) + "/link/node-1/node-9");
    assertThat(page.statusCode()).isEqualTo(404);
    assertThat(page.body()).contains("has no link node-1 → node-9");
  }

  @Test
  void aMalformedTimeIs400WithASentence() throws Exception {
    HttpResponse<String> page = get("/cluster/" + enc(history.h.cluster) + "?at=yesterday");
    assertThat(page.statusCode()).isEqualTo(400);
    assertThat(page.body()).contains("at=yesterday");
    assertThat(get("/api/cluster/" + enc(history.h.cluster) + "?at=2026-13-01T00:00:00Z").statusCode()).isEqualTo(400);
  }

  @Test
  void aTimeBeforeTheRetainedHistoryIs400SayingTheEarliest() throws Exception {
    HttpResponse<String> page = get("/cluster/" + enc(history.h.cluster) + "?at=2000-01-01T00:00:00Z");
    assertThat(page.statusCode()).isEqualTo(400);
    assertThat(page.body()).contains("the log holds nothing before");
  }

  @Test
  void anUnknownPathIs404() throws Exception {
    assertThat(get("/nothing-here").statusCode()).isEqualTo(404);
  }

  // --- ./spanlog console: address and authentication ---

  static int console(StringWriter err, ConsoleMain main, String... args) {
    CommandLine cli = ConsoleMain.commandLine(main);
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void aNonLoopbackAddressWithoutBasicAuthRefusesToStart() {
    StringWriter err = new StringWriter();
    int code = console(err, new ConsoleMain(), "--addr", "0.0.0.0:0", "--bootstrap", history.h.kafka.bootstrapServers());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("is not a loopback address: give --basic-auth-file").doesNotContain("Exception");
  }

  @Test
  void aNonLoopbackAddressWithBasicAuthRequiresIt() throws Exception {
    Path file = Files.createTempFile("console-auth-", ".txt");
    Files.writeString(file, "# operators\nops:s3cret-pass\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    ConsoleMain main = new ConsoleMain();
    AtomicReference<int[]> seen = new AtomicReference<>();
    main.started = server -> {
      try {
        String url = "http://127.0.0.1:" + server.port() + "/api/fleet";
        int none = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
            .statusCode();
        int wrong = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Basic "
            + Base64.getEncoder().encodeToString("ops:wrong".getBytes(StandardCharsets.UTF_8))).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode();
        int right = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Basic "
            + Base64.getEncoder().encodeToString("ops:s3cret-pass".getBytes(StandardCharsets.UTF_8))).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode();
        seen.set(new int[] {none, wrong, right});
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
    StringWriter err = new StringWriter();
    int code = console(err, main, "--addr", "0.0.0.0:0", "--basic-auth-file", file.toString(),
        "--bootstrap", history.h.kafka.bootstrapServers(), "--topic-prefix", history.h.prefix);
    assertThat(code).as(err.toString()).isEqualTo(0);
    assertThat(seen.get()).containsExactly(401, 401, 200);
  }

  @Test
  void aBasicAuthFileReadableByOthersIsRefused() throws Exception {
    Path file = Files.createTempFile("console-auth-", ".txt");
    Files.writeString(file, "ops:s3cret-pass\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    StringWriter err = new StringWriter();
    int code = console(err, new ConsoleMain(), "--addr", "0.0.0.0:0", "--basic-auth-file", file.toString(),
        "--bootstrap", history.h.kafka.bootstrapServers());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("is readable by others; chmod 600 it").doesNotContain("s3cret");
  }
}
