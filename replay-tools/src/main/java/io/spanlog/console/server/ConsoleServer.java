package io.spanlog.console.server;

import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.console.cluster.ClusterView;
import io.spanlog.console.fleet.FleetState;
import io.spanlog.console.fleet.LinkTail;
import io.spanlog.ctl.ObserverAddress;
import io.spanlog.ctl.ObserverQuery;
import io.spanlog.history.HistoryException;
import io.spanlog.history.read.ReadStats;
import io.spanlog.history.timeline.LinkTimeline;
import io.spanlog.history.timeline.TimelineLog;
import io.spanlog.history.timeline.TimelineQuery;
import io.spanlog.history.timeline.UnknownLinkException;
import io.spanlog.history.timeline.WrongSecretException;
import io.spanlog.history.timeline.render.TimelineRenderer;
import io.spanlog.history.read.LogAccess;
import io.spanlog.history.read.LogReader;
import io.spanlog.history.read.Progress;
import io.spanlog.history.time.TimeSpec;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The console's web server: static pages and scripts from the jar (no CDN), JSON views rebuilt
 * from the log by the history functions, and server-sent events of link changes fed by
 * {@link LinkTail}. It only reads Kafka.
 */
public final class ConsoleServer implements AutoCloseable {
  /**
   * Where the console reads, and the secrets it may open data with.
   *
   * @param observer the endpoint observer's read API, for the live view of "now" (links, rates,
   *     matrix); empty: the console works from the topics alone
   */
  public record Config(String host, int port, LogAccess access, String eventsTopic, String checkpointsTopic,
      String linkEventsTopic, String telemetryTopic, String linkMetricsTopic, Function<String, Optional<ClusterSecret>> secrets,
      Optional<BasicAuth> auth, Clock clock, Optional<ObserverAddress> observer) {}

  private static final String WEB = "io/spanlog/console/web";

  private final Config config;
  private final Optional<ClusterView.Live> observer;
  private final Vertx vertx;
  private final FleetState fleet = new FleetState();
  private final Set<HttpServerResponse> listeners = new LinkedHashSet<>();
  private LinkTail tail;
  private HttpServer server;
  private Context context;

  private ConsoleServer(Config config) {
    this.config = config;
    this.observer = config.observer().map(a -> new ClusterView.Live(ObserverQuery.http(a), a.toString()));
    this.vertx = Vertx.vertx();
  }

  public static ConsoleServer start(Config config) throws Exception {
    ConsoleServer s = new ConsoleServer(config);
    s.begin();
    return s;
  }

  /**
   * A console on {@code port} of 127.0.0.1 (0: any free port) over Spanlog's own topics, without
   * basic auth, with the demo's endpoint observer if it runs one: what the demo starts ({@code
   * url()} is the address to print).
   */
  public static ConsoleServer startLocal(int port, String bootstrap, Function<String, Optional<ClusterSecret>> secrets,
      Optional<ObserverAddress> observer) throws Exception {
    return start(new Config("127.0.0.1", port, LogAccess.of(bootstrap, io.spanlog.kafka.KafkaClientConfig.NONE),
        io.spanlog.topics.TopicCatalogue.DISCOVERY_EVENTS, io.spanlog.topics.TopicCatalogue.DISCOVERY_CHECKPOINTS,
        io.spanlog.topics.TopicCatalogue.LINK_EVENTS, io.spanlog.topics.TopicCatalogue.TELEMETRY,
        io.spanlog.topics.TopicCatalogue.LINK_METRICS, secrets,
        Optional.empty(), Clock.systemUTC(), observer));
  }

  private void begin() throws Exception {
    context = vertx.getOrCreateContext();
    tail = new LinkTail(config.access(), config.linkEventsTopic(), fleet,
        change -> context.runOnContext(v -> broadcast(change))).start();
    tail.awaitLoaded(Duration.ofSeconds(60));
    Router router = Router.router(vertx);
    config.auth().ifPresent(a -> router.route().handler(a));
    router.get("/").handler(ctx -> page(ctx, 200, resource("fleet.html")));
    router.get("/static/*").handler(StaticHandler.create(WEB).setCachingEnabled(false));
    router.get("/favicon.ico").handler(ctx -> ctx.response().setStatusCode(301)
        .putHeader("Location", "/static/favicon.svg").end());
    router.get("/api/fleet").handler(this::fleetJson);
    router.get("/api/events").handler(this::events);
    router.get("/api/cluster/:id").handler(this::clusterJson);
    router.get("/cluster/:id").handler(this::clusterPage);
    router.get("/cluster/:id/link/:node/:peer").handler(this::linkPage);
    router.route().last().handler(ctx -> page(ctx, 404, errorPage("Not found", "No page at " + ctx.request().path() + ".")));
    vertx.setPeriodic(15_000, id -> listeners.forEach(r -> r.write(": keep-alive\n\n")));
    server = vertx.createHttpServer().requestHandler(router).listen(config.port(), config.host())
        .await(30, TimeUnit.SECONDS);
  }

  public int port() {
    return server.actualPort();
  }

  /** The console's address, as a browser opens it. */
  public String url() {
    String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
    return "http://" + host + ":" + port() + "/";
  }

  private void fleetJson(RoutingContext ctx) {
    JsonArray clusters = new JsonArray();
    for (FleetState.Summary s : fleet.summaries(config.clock().instant())) {
      clusters.add(summary(s));
    }
    json(ctx, 200, new JsonObject().put("clusters", clusters).put("skipped", tail.skipped()));
  }

  private static JsonObject summary(FleetState.Summary s) {
    return new JsonObject().put("cluster", s.cluster()).put("nodes", s.nodes()).put("up", s.up()).put("down", s.down())
        .put("unknown", s.unknown()).put("flapping", s.flapping()).put("asymmetric", s.asymmetric())
        .put("withoutDiscovery", s.withoutDiscovery());
  }

  private void events(RoutingContext ctx) {
    HttpServerResponse r = ctx.response().setChunked(true).putHeader("Content-Type", "text/event-stream")
        .putHeader("Cache-Control", "no-cache");
    r.write(": connected\n\n");
    context.runOnContext(v -> listeners.add(r));
    r.closeHandler(v -> context.runOnContext(x -> listeners.remove(r)));
  }

  /**
   * One server-sent event per change: {@code link} (the link and its cluster's counts) for a link
   * event, {@code summary} (the counts) for a node's silence or return.
   */
  private void broadcast(FleetState.Change change) {
    JsonObject msg = new JsonObject().put("summary", summary(fleet.summary(change.cluster(), config.clock().instant())));
    change.link().ifPresent(link -> msg.put("link", new JsonObject().put("cluster", link.cluster())
        .put("node", link.node()).put("peer", link.peer())
        .put("nodeKey", link.nodeKey()).put("peerKey", link.peerKey()).put("state", link.state())
        .put("endpoint", link.endpoint().orElse(null)).put("source", link.source()).put("reason", link.reason())
        .put("since", link.since().toString())));
    String frame = "event: " + (change.link().isPresent() ? "link" : "summary") + "\ndata: " + msg.encode() + "\n\n";
    for (HttpServerResponse r : listeners) {
      r.write(frame);
    }
  }

  /** The {@code at} parameter: absent is now. @throws ClusterView.Refusal 400 when malformed */
  private Instant at(RoutingContext ctx) {
    String text = ctx.request().getParam("at");
    if (text == null || text.isBlank()) {
      return config.clock().instant();
    }
    try {
      return TimeSpec.parse(text, config.clock());
    } catch (IllegalArgumentException e) {
      throw new ClusterView.Refusal(400, "at=" + text + ": " + e.getMessage());
    }
  }

  private ClusterView clusterView(LogReader reader) {
    return new ClusterView(reader, config.eventsTopic(), config.checkpointsTopic(), config.linkEventsTopic(),
        config.telemetryTopic(), config.linkMetricsTopic());
  }

  /** The view at {@code at}; the observer's live links for now (no {@code at}) when there is one. */
  private JsonObject view(String cluster, Instant at, boolean now) {
    try (LogReader reader = new LogReader(config.access(), Progress.QUIET)) {
      return clusterView(reader).at(cluster, at, config.secrets().apply(cluster), now ? observer : Optional.empty());
    }
  }

  private static boolean now(RoutingContext ctx) {
    String text = ctx.request().getParam("at");
    return text == null || text.isBlank();
  }

  private void clusterJson(RoutingContext ctx) {
    String cluster = ctx.pathParam("id");
    long t0 = System.nanoTime();
    blocking(ctx, () -> view(cluster, at(ctx), now(ctx)), v -> {
      // the time the server took to build the view, for the browser's resource timing (bench console)
      long t1 = System.nanoTime();
      String body = v.encode();
      StringBuilder timing = new StringBuilder(String.format(java.util.Locale.ROOT, "view;dur=%.1f, json;dur=%.1f",
          (System.nanoTime() - t0) / 1e6, (System.nanoTime() - t1) / 1e6));
      v.getJsonObject("timings", new JsonObject()).forEach(e -> timing.append(", ").append(e.getKey()).append(";dur=")
          .append(e.getValue()));
      ctx.response().putHeader("Server-Timing", timing.toString());
      ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json; charset=utf-8").end(body);
    }, refusal -> json(ctx, refusal.status(), new JsonObject().put("error", refusal.getMessage())));
  }

  /** The page itself: its status says whether the cluster and instant exist; the view comes by /api. */
  private void clusterPage(RoutingContext ctx) {
    String cluster = ctx.pathParam("id");
    blocking(ctx, () -> {
      Instant at = at(ctx);
      try (LogReader reader = new LogReader(config.access(), Progress.QUIET)) {
        clusterView(reader).check(cluster, at);
      }
      return at;
    }, v -> page(ctx, 200, resource("cluster.html")),
        refusal -> page(ctx, refusal.status(), errorPage(refusal.status() == 404 ? "Unknown cluster" : "Bad time",
            refusal.getMessage())));
  }

  private void linkPage(RoutingContext ctx) {
    String cluster = ctx.pathParam("id");
    String node = ctx.pathParam("node");
    String peer = ctx.pathParam("peer");
    blocking(ctx, () -> {
      JsonObject v = view(cluster, at(ctx), false);
      if (!hasLink(v, node, peer)) {
        throw new ClusterView.Refusal(404, "cluster " + cluster + " has no link " + node + " → " + peer
            + " in its log (NODE and PEER are node names or public keys)");
      }
      return timeline(cluster, node, peer, ctx);
    }, tl -> {
      if (ctx.request().getParam("download") != null) {
        ctx.response().putHeader("Content-Disposition", "attachment; filename=\"" + downloadName(tl) + "\"");
        page(ctx, 200, new TimelineRenderer().page(tl));
      } else {
        page(ctx, 200, new TimelineRenderer().interactivePage(tl, links(ctx, cluster, tl)));
      }
    },
        refusal -> page(ctx, refusal.status(), errorPage(refusal.status() == 404 ? "Unknown link" : "Cannot draw this link",
            refusal.getMessage())));
  }

  /** Whether the view's matrix has a cell node → peer (names or public keys). */
  private static boolean hasLink(JsonObject view, String node, String peer) {
    JsonArray nodes = view.getJsonArray("nodes");
    JsonArray rows = view.getJsonArray("rows");
    for (int i = 0; i < nodes.size(); i++) {
      JsonObject a = nodes.getJsonObject(i);
      if (!node.equals(a.getString("label")) && !node.equals(a.getString("publicKey"))) {
        continue;
      }
      for (int j = 0; j < nodes.size(); j++) {
        JsonObject b = nodes.getJsonObject(j);
        if ((peer.equals(b.getString("label")) || peer.equals(b.getString("publicKey")))
            && rows.getString(i).charAt(j) != '-') {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The link's timeline page over {@code from}..{@code to} (default: the hour before {@code at}),
   * drawn by the same renderer as {@code ctl history timeline --html}.
   */
  private LinkTimeline timeline(String cluster, String node, String peer, RoutingContext ctx) {
    Instant to = ctx.request().getParam("to") == null ? at(ctx) : time(ctx, "to");
    Instant from = ctx.request().getParam("from") == null ? to.minus(java.time.Duration.ofHours(1)) : time(ctx, "from");
    if (to.isBefore(from)) {
      throw new ClusterView.Refusal(400, "to=" + to + " is before from=" + from);
    }
    TimelineQuery query = new TimelineQuery(cluster, node, peer, from, to, config.secrets().apply(cluster));
    try (LogReader reader = new LogReader(config.access(), Progress.QUIET)) {
      TimelineLog.Topics topics = new TimelineLog.Topics(config.eventsTopic(), config.checkpointsTopic(),
          config.telemetryTopic(), config.linkEventsTopic(), config.linkMetricsTopic());
      return TimelineLog.read(reader, topics, query, new ReadStats());
    } catch (UnknownLinkException e) {
      throw new ClusterView.Refusal(404, e.getMessage());
    } catch (WrongSecretException | HistoryException e) {
      throw new ClusterView.Refusal(400, e.getMessage());
    }
  }

  /** The link page's ways out: twice the range around its middle, the file, the cluster then. */
  private static TimelineRenderer.Links links(RoutingContext ctx, String cluster, LinkTimeline tl) {
    Duration span = Duration.between(tl.from(), tl.to());
    Instant middle = tl.from().plus(span.dividedBy(2));
    String path = ctx.request().path();
    String zoomOut = path + "?from=" + query(middle.minus(span)) + "&to=" + query(middle.plus(span));
    String uri = ctx.request().uri();
    String download = uri + (uri.contains("?") ? "&" : "?") + "download=1";
    String clusterPage = "/cluster/" + URLEncoder.encode(cluster, StandardCharsets.UTF_8).replace("+", "%20")
        + "?at=" + query(tl.to());
    return new TimelineRenderer.Links(zoomOut, download, clusterPage);
  }

  private static String query(Instant t) {
    return URLEncoder.encode(t.toString(), StandardCharsets.UTF_8);
  }

  /** A file name from the link's names, reduced to characters every file system takes. */
  private static String downloadName(LinkTimeline tl) {
    String name = "spanlog-" + tl.node().name() + "-" + tl.peer().name() + "-" + tl.from().getEpochSecond() + ".html";
    return name.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  private Instant time(RoutingContext ctx, String name) {
    String text = ctx.request().getParam(name);
    try {
      return TimeSpec.parse(text, config.clock());
    } catch (IllegalArgumentException e) {
      throw new ClusterView.Refusal(400, name + "=" + text + ": " + e.getMessage());
    }
  }

  private <T> void blocking(RoutingContext ctx, java.util.concurrent.Callable<T> work,
      java.util.function.Consumer<T> ok, java.util.function.Consumer<ClusterView.Refusal> refused) {
    vertx.executeBlocking(work, false).onComplete(ar -> {
      if (ar.succeeded()) {
        ok.accept(ar.result());
      } else if (ar.cause() instanceof ClusterView.Refusal r) {
        refused.accept(r);
      } else {
        String sentence = "reading the log failed: " + ar.cause().getMessage();
        if (ctx.request().path().startsWith("/api/")) {
          json(ctx, 500, new JsonObject().put("error", sentence));
        } else {
          page(ctx, 500, errorPage("Error", sentence));
        }
      }
    });
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
        .end(body.encode());
  }

  private static void page(RoutingContext ctx, int status, String html) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "text/html; charset=utf-8").end(html);
  }

  static String resource(String name) {
    try (InputStream in = ConsoleServer.class.getClassLoader().getResourceAsStream(WEB + "/" + name)) {
      if (in == null) {
        throw new IllegalStateException("the console's " + name + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String errorPage(String title, String sentence) {
    return "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + escape(title) + " — Spanlog console</title>"
        + "<link rel=\"stylesheet\" href=\"/static/console.css\"><link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\"></head><body><header><a href=\"/\">Spanlog console</a>"
        + "</header><main><h1>" + escape(title) + "</h1><p class=\"error\" id=\"error\">" + escape(sentence)
        + "</p></main></body></html>";
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
  }

  @Override
  public void close() {
    if (tail != null) {
      tail.close();
    }
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      // the JVM's exit ends what is left
    }
  }
}
