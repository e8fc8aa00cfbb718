package io.spanlog.console.bench;

import io.spanlog.console.server.ConsoleServer;
import io.spanlog.ctl.bench.HistoryBench;
import io.spanlog.events.AffiliateUpdated;
import io.spanlog.events.Blob;
import io.spanlog.events.EndpointSource;
import io.spanlog.events.Envelope;
import io.spanlog.events.EventCodec;
import io.spanlog.events.LinkMetricsWindow;
import io.spanlog.events.LinkStateChanged;
import io.spanlog.events.PeerState;
import io.spanlog.history.read.LogAccess;
import io.spanlog.history.timeline.render.HeadlessChromium;
import io.spanlog.infra.BrokerSettings;
import io.spanlog.infra.EmbeddedKafka;
import io.spanlog.infra.Folders;
import io.spanlog.kafka.KafkaClientConfig;
import io.spanlog.secrets.ClusterSecrets;
import io.spanlog.topics.TopicCatalogue;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.WebDriverWait;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The console's two figures, broker, console and a headless Chromium on this machine: {@code
 * ./spanlog bench console [--help]}.
 *
 * <ol>
 *   <li><b>first render</b> of a cluster's page for a {@code --nodes}-node cluster (every ordered
 *       pair a link: nodes² cells on one canvas), from the navigation's start to the page's
 *       "matrix drawn" mark, split into the server's time to build the view (its {@code
 *       Server-Timing}), the JSON's transfer and the browser's parse + draw; baselines in the same
 *       run: the same page for a {@code --small}-node cluster, the bare JSON fetch, and a raw
 *       {@code KafkaConsumer} reading the big cluster's link events;
 *   <li><b>the slider</b>: the state at an instant in the middle of a {@code --events}-event
 *       history (written by {@code bench history}'s generator: sealed batches and discovery events
 *       with the real encodings, and the checkpoints a live discovery service writes), rebuilt by
 *       the console's {@code ?at=} from the newest checkpoint, against a console reading the same
 *       log with no checkpoint; in the browser, the deep link to drawn.
 * </ol>
 */
@Command(name = "bench console", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Console: first render of a 1,000-node cluster's matrix (server vs browser) and the slider over a 1,000,000-event history (checkpoint vs none).")
public final class ConsoleBench implements Callable<Integer> {
  @Option(names = "--nodes", defaultValue = "1000", description = "nodes of the big cluster (default ${DEFAULT-VALUE}: nodes² cells)")
  int nodes;

  @Option(names = "--small", defaultValue = "10", description = "nodes of the baseline cluster (default ${DEFAULT-VALUE})")
  int small;

  @Option(names = "--events", defaultValue = "1000000", description = "events of the slider's history (default ${DEFAULT-VALUE})")
  long events;

  @Option(names = "--runs", defaultValue = "3", description = "timed page loads of each kind (default ${DEFAULT-VALUE})")
  int runs;

  @Option(names = "--parts", defaultValue = "rs", description = "r first render, s slider (default ${DEFAULT-VALUE})")
  String parts;

  @Option(names = "--data", description = "folder of the history (kept and reused); default: a temporary one, deleted")
  Path data;

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final List<String[]> rows = new ArrayList<>();

  public static void main(String[] args) {
    System.exit(new CommandLine(new ConsoleBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    boolean temporary = data == null;
    Path dir = temporary ? Files.createTempDirectory("spanlog-bench-console-") : data;
    try {
      // the history: bench history's generator, on a broker in dir (it stops it when done)
      long t0 = System.nanoTime();
      int code = new CommandLine(new HistoryBench()).execute("--events", Long.toString(events), "--data", dir.toString(),
          "--passes", "0", "--parts=");
      if (code != 0) {
        throw new IllegalStateException("writing the history failed (bench history exited " + code + ")");
      }
      rows.add(new String[] {String.format("history written by bench history's generator (%,d events, reused if kept)", events),
          String.format("%.0f s", (System.nanoTime() - t0) / 1e9), "", "", ""});
      String[] ports = Files.readString(dir.resolve("ports")).trim().split(" ");
      EmbeddedKafka kafka = EmbeddedKafka.start(new BrokerSettings(Integer.parseInt(ports[0]), Integer.parseInt(ports[1]),
          dir.resolve("kafka")));
      try (HeadlessChromium chromium = HeadlessChromium.start(1400, 1200)) {
        String bootstrap = kafka.bootstrapServers();
        if (parts.contains("r")) {
          render(bootstrap, chromium);
        }
        if (parts.contains("s")) {
          slider(bootstrap, chromium, dir.resolve("secrets"));
        }
      } finally {
        kafka.close();
      }
    } finally {
      if (temporary) {
        Folders.deleteRecursively(dir);
      }
    }
    print();
    return 0;
  }

  // ---- (a) first render

  private void render(String bootstrap, HeadlessChromium chromium) throws Exception {
    String big = "render-" + nodes;
    String little = "render-" + small;
    createTopics(bootstrap, TopicCatalogue.LINK_EVENTS, TopicCatalogue.LINK_METRICS);
    Instant now = Instant.now();
    for (String[] c : new String[][] {{little, Integer.toString(small)}, {big, Integer.toString(nodes)}}) {
      if (!hasRecords(bootstrap, TopicCatalogue.LINK_EVENTS, c[0])) {
        long t0 = System.nanoTime();
        long written = writeCluster(bootstrap, c[0], Integer.parseInt(c[1]), now);
        rows.add(new String[] {String.format("write cluster %s: %d affiliates, %,d link events + %,d RX/TX windows", c[0],
            Integer.parseInt(c[1]), written, written), String.format("%.0f s", (System.nanoTime() - t0) / 1e9), "", "", ""});
      }
    }
    double raw = rawRead(bootstrap, TopicCatalogue.LINK_EVENTS, big);
    try (ConsoleServer console = ConsoleServer.startLocal(0, bootstrap, c -> Optional.empty(), Optional.empty())) {
      for (String cluster : List.of(little, big)) {
        for (int run = 1; run <= runs; run++) {
          fetch(console, cluster, "", "bare JSON fetch (java.net.http)", run);
        }
        for (int run = 1; run <= runs; run++) {
          page(chromium, console.url() + "cluster/" + enc(cluster), "page " + cluster + " to matrix drawn", run);
        }
      }
    }
    rows.add(new String[] {"baseline: raw KafkaConsumer, the big cluster's link events partition", String.format("%,.0f records/s", raw),
        "", "", ""});
  }

  /** A cluster of n nodes, every ordered pair a link (1 in 50 down, 1 in 100 unknown), and one RX/TX window per link. */
  private static long writeCluster(String bootstrap, String cluster, int n, Instant now) throws Exception {
    Random random = new Random(n);
    String[] keys = new String[n];
    for (int i = 0; i < n; i++) {
      byte[] k = new byte[32];
      random.nextBytes(k);
      keys[i] = Base64.getEncoder().encodeToString(k);
    }
    AtomicLong failures = new AtomicLong();
    long links = 0;
    byte[] key = cluster.getBytes(StandardCharsets.UTF_8);
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(HistoryBench.producerConfig(bootstrap))) {
      for (int i = 0; i < n; i++) {
        byte[] data = new byte[300];
        random.nextBytes(data);
        Envelope e = Envelope.of(cluster, "node-" + i, now.minusSeconds(3600), "discovery-projector@bench",
            new AffiliateUpdated("node-" + i, Optional.of(Blob.of(data)), List.of(Blob.of(new byte[] {1, 2, 3, 4, 5, 6})),
                Duration.ofMinutes(30), Optional.empty()));
        send(p, failures, TopicCatalogue.DISCOVERY_EVENTS, key, e.at(), e);
      }
      Instant changed = now.minusSeconds(1800);
      Instant windowEnd = now.minusSeconds(150);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          if (i == j) {
            continue;
          }
          int dice = random.nextInt(100);
          PeerState to = dice < 2 ? PeerState.DOWN : dice < 3 ? PeerState.UNKNOWN : PeerState.UP;
          String label = String.format("node-%04d", j);
          LinkStateChanged c = new LinkStateChanged(String.format("node-%04d", i), keys[i], keys[j], label, PeerState.UNKNOWN,
              to, Optional.of("10." + (j / 250) + "." + (j % 250) + ".1:51820"), EndpointSource.ADVERTISED,
              to == PeerState.UP ? "handshake 5 s ago" : "no handshake for 280 s, limit 275 s", changed.minusSeconds(30), true,
              changed, changed, Duration.ofSeconds(30));
          send(p, failures, TopicCatalogue.LINK_EVENTS, key, changed, Envelope.of(cluster, label, changed, "endpoint-observer@bench", c));
          LinkMetricsWindow w = new LinkMetricsWindow(String.format("node-%04d", i), keys[i], keys[j], label,
              windowEnd.minusSeconds(60), windowEnd, 600_000, 300_000, 10_000, 5_000, 2, 0, 0);
          send(p, failures, TopicCatalogue.LINK_METRICS, key, windowEnd, Envelope.of(cluster, label, windowEnd, "endpoint-observer@bench", w));
          links++;
        }
      }
      p.flush();
    }
    if (failures.get() > 0) {
      throw new IllegalStateException(failures.get() + " sends failed");
    }
    return links;
  }

  /** The JSON of a cluster's view over plain HTTP: total, and the server's own time (Server-Timing). */
  private void fetch(ConsoleServer console, String cluster, String query, String what, int run) throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(console.url() + "api/cluster/" + enc(cluster) + query))
        .timeout(Duration.ofMinutes(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
    double total = (System.nanoTime() - t0) / 1e6;
    if (r.statusCode() != 200) {
      throw new IllegalStateException(cluster + query + " answered " + r.statusCode() + ": " + new String(r.body(), StandardCharsets.UTF_8));
    }
    String header = r.headers().firstValue("Server-Timing").orElse("");
    double server = serverTiming(header);
    JsonObject view = new JsonObject(new String(r.body(), StandardCharsets.UTF_8));
    rows.add(new String[] {cluster + ": " + what + ", run " + run,
        String.format("%.0f ms", total), String.format("%.0f ms", server), "",
        String.format("%,d B JSON, %d nodes, %,d links%s; server ms: %s", r.body().length, view.getJsonArray("nodes").size(),
            view.getInteger("linkCount"), view.getString("checkpoint") == null ? ", no checkpoint" : ", checkpoint of " + view.getString("checkpoint"),
            header.replace(";dur=", " ").replace("view ", "").replaceFirst("^[0-9.]+, ", ""))});
    System.out.println("bench: " + String.join(" | ", rows.get(rows.size() - 1)));
  }

  /** One page load in Chromium, navigation start to the page's "matrix drawn" mark. */
  private void page(HeadlessChromium chromium, String url, String what, int run) {
    var driver = chromium.driver;
    driver.get("about:blank");
    driver.get(url);
    new WebDriverWait(driver, Duration.ofMinutes(10)).until(d -> js(chromium,
        "return performance.getEntriesByName('spanlog-matrix-drawn').length > 0") == Boolean.TRUE);
    @SuppressWarnings("unchecked")
    Map<String, Object> t = (Map<String, Object>) js(chromium,
        "const m = performance.getEntriesByName('spanlog-matrix-drawn')[0];"
            + "const r = performance.getEntriesByType('resource').filter(e => e.name.includes('/api/cluster/'))[0];"
            + "const st = r.serverTiming.find(s => s.name === 'view');"
            + "return {drawn: m.startTime, draw: m.detail.drawMs, fetchStart: r.fetchStart, responseStart: r.responseStart,"
            + " responseEnd: r.responseEnd, server: st ? st.duration : -1, bytes: r.encodedBodySize || r.transferSize};");
    double drawn = num(t.get("drawn"));
    double server = num(t.get("server"));
    double responseStart = num(t.get("responseStart"));
    double responseEnd = num(t.get("responseEnd"));
    double browser = drawn - responseEnd + num(t.get("fetchStart"));
    rows.add(new String[] {what + ", run " + run, String.format("%.0f ms", drawn), String.format("%.0f ms", server),
        String.format("%.0f ms", browser),
        String.format("page+scripts to fetch %.0f ms; waiting %.0f ms; JSON transfer %.0f ms; parse+draw %.0f ms (draw %.0f ms)",
            num(t.get("fetchStart")), responseStart - num(t.get("fetchStart")), responseEnd - responseStart,
            drawn - responseEnd, num(t.get("draw")))});
    System.out.println("bench: " + String.join(" | ", rows.get(rows.size() - 1)));
  }

  private static Object js(HeadlessChromium chromium, String script) {
    return ((JavascriptExecutor) chromium.driver).executeScript(script);
  }

  private static double num(Object o) {
    return o instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  private static double serverTiming(String header) {
    int i = header.indexOf("dur=");
    return i < 0 ? Double.NaN : Double.parseDouble(header.substring(i + 4).split("[,;]")[0]);
  }

  // ---- (b) the slider

  private void slider(String bootstrap, HeadlessChromium chromium, Path secretsDir) throws Exception {
    String cluster = "bench-cluster-042";
    Instant first = firstTime(bootstrap, TopicCatalogue.TELEMETRY);
    Instant middle = first.plus(Duration.between(first, Instant.now()).dividedBy(2));
    String query = "?at=" + enc(middle.toString());
    String none = "bench.no-checkpoints";
    createTopics(bootstrap, none);
    ClusterSecrets secrets = ClusterSecrets.load(secretsDir);
    double raw = rawRead(bootstrap, TopicCatalogue.DISCOVERY_EVENTS, cluster);
    for (boolean checkpoints : new boolean[] {true, false}) {
      LogAccess access = LogAccess.of(bootstrap, KafkaClientConfig.NONE);
      try (ConsoleServer console = ConsoleServer.start(new ConsoleServer.Config("127.0.0.1", 0, access,
          TopicCatalogue.DISCOVERY_EVENTS, checkpoints ? TopicCatalogue.DISCOVERY_CHECKPOINTS : none, TopicCatalogue.LINK_EVENTS,
          TopicCatalogue.TELEMETRY, TopicCatalogue.LINK_METRICS, secrets::lookup, Optional.empty(), Clock.systemUTC(),
          Optional.empty()))) {
        String what = checkpoints ? "slider ?at= the middle, from the newest checkpoint" : "slider ?at= the middle, no checkpoint (fold from the start)";
        for (int run = 1; run <= runs; run++) {
          fetch(console, cluster, query, what, run);
        }
        if (checkpoints) {
          for (int run = 1; run <= runs; run++) {
            page(chromium, console.url() + "cluster/" + enc(cluster) + query, "deep link " + cluster + " ?at= the middle, to matrix drawn", run);
          }
        }
      }
    }
    rows.add(new String[] {"baseline: raw KafkaConsumer, " + cluster + "'s discovery events partition", String.format("%,.0f records/s", raw),
        "", "", ""});
  }

  // ---- Kafka

  private static void createTopics(String bootstrap, String... names) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      for (String name : names) {
        try {
          admin.createTopics(List.of(new NewTopic(name, TopicCatalogue.DEFAULT_PARTITIONS, (short) 1))).all().get();
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
    }
  }

  private static TopicPartition partition(KafkaConsumer<byte[], byte[]> c, String topic, String cluster) {
    int count = c.partitionsFor(topic).size();
    return new TopicPartition(topic, io.spanlog.history.read.LogReader.partitionOf(cluster, count));
  }

  private static boolean hasRecords(String bootstrap, String topic, String cluster) {
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(HistoryBench.consumerConfig(bootstrap))) {
      TopicPartition tp = partition(c, topic, cluster);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long end = c.endOffsets(List.of(tp)).get(tp);
      while (c.position(tp) < end) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          if (cluster.equals(new String(r.key(), StandardCharsets.UTF_8))) {
            return true;
          }
        }
      }
      return false;
    }
  }

  /** Records/s of a plain consumer reading the cluster's partition of a topic, bytes only. */
  private static double rawRead(String bootstrap, String topic, String cluster) {
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(HistoryBench.consumerConfig(bootstrap))) {
      TopicPartition tp = partition(c, topic, cluster);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long end = c.endOffsets(List.of(tp)).get(tp);
      long start = c.position(tp);
      long t0 = System.nanoTime();
      long bytes = 0;
      while (c.position(tp) < end) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          bytes += r.value().length;
        }
      }
      return (end - start) / ((System.nanoTime() - t0) / 1e9);
    }
  }

  private static Instant firstTime(String bootstrap, String topic) {
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(HistoryBench.consumerConfig(bootstrap))) {
      TopicPartition tp = new TopicPartition(topic, 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      while (true) {
        var rs = c.poll(Duration.ofMillis(500));
        if (!rs.isEmpty()) {
          return Instant.ofEpochMilli(rs.iterator().next().timestamp());
        }
      }
    }
  }

  private static void send(KafkaProducer<byte[], byte[]> p, AtomicLong failures, String topic, byte[] key, Instant at, Envelope e) {
    p.send(new ProducerRecord<>(topic, null, at.toEpochMilli(), key, EventCodec.encode(e)), (md, ex) -> {
      if (ex != null) {
        failures.incrementAndGet();
      }
    });
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private void print() {
    String[] head = {"what", "total", "server (view)", "browser", "detail"};
    int[] w = new int[head.length];
    for (String[] r : rowsWith(head)) {
      for (int i = 0; i < r.length; i++) {
        w[i] = Math.max(w[i], r[i].length());
      }
    }
    for (String[] r : rowsWith(head)) {
      StringBuilder b = new StringBuilder("| ");
      for (int i = 0; i < r.length; i++) {
        b.append(String.format("%-" + w[i] + "s | ", r[i]));
      }
      System.out.println(b.toString().stripTrailing());
    }
  }

  private List<String[]> rowsWith(String[] head) {
    List<String[]> all = new ArrayList<>();
    all.add(head);
    all.addAll(rows);
    return all;
  }
}
