package io.spanlog.observer.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.spanlog.config.GoDuration;
import io.spanlog.events.EventCodec;
import io.spanlog.observer.links.LinkKey;
import io.spanlog.observer.links.LinkRecord;
import io.spanlog.observer.query.Answers;
import io.spanlog.observer.query.ClusterReads;
import io.spanlog.observer.query.ClusterViews;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/**
 * The observer's read API: JSON over HTTP, GET only.
 *
 * <pre>
 * GET /v1/links?cluster=ID                 every link of the cluster, with rates and flaps
 * GET /v1/matrix?cluster=ID                the reachability matrix
 * GET /v1/link-metrics?cluster=ID&amp;node=N&amp;peer=P[&amp;from=T][&amp;to=T]
 *                                          a link's closed metric windows (T: ISO-8601, or a
 *                                          duration meaning that long ago, e.g. 1h)
 * GET /v1/drift?cluster=ID                 each node's peer specs against its device (needs the
 *                                          cluster's secret; says so without it)
 * GET /v1/instance                         this instance: its address and Kafka Streams state
 * </pre>
 *
 * A cluster lives on one instance (the owner of its partition); any instance answers, reading
 * its own stores or relaying the request once to the owner.
 */
public final class ObserverApi {
  /** Loopback, as the agents' status API: the views name every node and endpoint of a cluster. */
  public static final String DEFAULT_ADDR = "127.0.0.1:7171";

  /** Set on a relayed request, so that it is relayed at most once. */
  static final String RELAYED_BY = "x-spanlog-relayed-by";

  private static final List<String> PATHS =
      List.of("/v1/links", "/v1/matrix", "/v1/link-metrics", "/v1/drift", "/v1/instance");
  private static final Instant END_OF_TIME = Instant.ofEpochMilli(Long.MAX_VALUE);

  private final Vertx vertx;
  private final ClusterLocator locator;
  private final Duration retention;
  private final Duration driftGrace;
  private final Predicate<String> secretRegistered;
  private final Supplier<Object> instance;
  private final Supplier<String> self;
  private final Clock clock;
  private final HttpClient relay;
  private HttpServer server;

  /**
   * @param retention how long closed metric windows are kept, for the answers to say
   * @param driftGrace how long a node may differ from its peer specs, for the answers to say
   * @param secretRegistered whether this instance holds a cluster's secret (drift needs it)
   * @param instance what {@code /v1/instance} shows
   * @param self this instance's advertised address, named in relayed requests (known once the
   *     API listens, hence a supplier)
   */
  public ObserverApi(Vertx vertx, ClusterLocator locator, Duration retention, Duration driftGrace,
      Predicate<String> secretRegistered, Supplier<Object> instance, Supplier<String> self,
      Clock clock) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.locator = Objects.requireNonNull(locator, "locator");
    this.retention = Objects.requireNonNull(retention, "retention");
    this.driftGrace = Objects.requireNonNull(driftGrace, "driftGrace");
    this.secretRegistered = Objects.requireNonNull(secretRegistered, "secretRegistered");
    this.instance = Objects.requireNonNull(instance, "instance");
    this.self = Objects.requireNonNull(self, "self");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.relay = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(2000));
  }

  /** Listens on {@code host:port} (port 0: any free port); completes with the port. */
  public Future<Integer> start(String host, int port) {
    return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
        .requestHandler(this::handle)
        .listen()
        .map(s -> {
          server = s;
          return s.actualPort();
        });
  }

  public int port() {
    return server == null ? -1 : server.actualPort();
  }

  public Future<Void> stop() {
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.eventually(relay::close);
  }

  private void handle(HttpServerRequest req) {
    String path = req.path();
    if (!PATHS.contains(path)) {
      reply(req, 404, "no such path: " + path + " (try " + String.join(", ", PATHS) + ")");
      return;
    }
    if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
      req.response().putHeader("allow", "GET, HEAD");
      reply(req, 405, "method " + req.method() + " not allowed: the read API is read-only (GET)");
      return;
    }
    if (path.equals("/v1/instance")) {
      json(req, 200, instance.get());
      return;
    }
    String cluster = req.getParam("cluster");
    if (cluster == null || cluster.isBlank()) {
      reply(req, 400, "say which cluster: " + path + "?cluster=<cluster id>");
      return;
    }
    Query query;
    try {
      query = query(req, path);
    } catch (IllegalArgumentException e) {
      reply(req, 400, e.getMessage());
      return;
    }
    vertx.executeBlocking(() -> locator.locate(cluster), false).onComplete(located -> {
      if (located.failed()) {
        reply(req, 503, "cannot tell which instance holds cluster " + cluster + ": "
            + located.cause().getMessage());
        return;
      }
      ClusterLocator.Location where = located.result();
      if (where instanceof ClusterLocator.Here here) {
        answerHere(req, cluster, query, here.reads());
      } else if (where instanceof ClusterLocator.Elsewhere there) {
        relay(req, there);
      } else if (where instanceof ClusterLocator.Unavailable no) {
        reply(req, 503, no.reason());
      }
    });
  }

  /** What to read: the path and the time range, checked before anything is read. */
  private record Query(String path, Instant from, Instant to) {}

  private Query query(HttpServerRequest req, String path) {
    Instant from = instant(req.getParam("from"), "from").orElse(Instant.EPOCH);
    Instant to = instant(req.getParam("to"), "to").orElse(END_OF_TIME);
    if (from.isAfter(to)) {
      throw new IllegalArgumentException("from (" + from + ") is after to (" + to + ")");
    }
    if (path.equals("/v1/link-metrics")) {
      for (String p : List.of("node", "peer")) {
        String v = req.getParam(p);
        if (v == null || v.isBlank()) {
          throw new IllegalArgumentException("say which link: /v1/link-metrics?cluster=<id>&node="
              + "<observing node>&peer=<peer> (a public key, affiliate id or node name); "
              + p + " is missing");
        }
      }
    }
    return new Query(path, from, to);
  }

  private Optional<Instant> instant(String text, String name) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(text.strip()));
    } catch (DateTimeParseException notAnInstant) {
      try {
        return Optional.of(clock.instant().minus(GoDuration.parse(text.strip())));
      } catch (IllegalArgumentException notADuration) {
        throw new IllegalArgumentException(name + " must be an ISO-8601 instant"
            + " (2026-11-25T10:00:00Z) or a duration ago (" + GoDuration.EXAMPLES + "), not '"
            + text + "'");
      }
    }
  }

  private void answerHere(HttpServerRequest req, String cluster, Query q, ClusterReads reads) {
    vertx.executeBlocking(() -> read(req, cluster, q, reads), false).onComplete(ar -> {
      if (ar.succeeded()) {
        json(req, ar.result().status(), ar.result().body());
      } else if (ar.cause() instanceof InvalidStateStoreException e) {
        reply(req, 503, "the cluster's state is not queryable on this instance right now"
            + " (restoring or moving); try again in a few seconds (" + e.getMessage() + ")");
      } else {
        reply(req, 500, "cannot read cluster " + cluster + ": " + ar.cause().getMessage());
      }
    });
  }

  private record Reply(int status, Object body) {}

  private Reply read(HttpServerRequest req, String cluster, Query q, ClusterReads reads) {
    switch (q.path()) {
      case "/v1/links":
        return new Reply(200, ClusterViews.links(cluster, reads.links(cluster),
            reads.cells(cluster), reads::latestWindow));
      case "/v1/matrix":
        return new Reply(200, ClusterViews.matrix(cluster, reads.cells(cluster)));
      case "/v1/drift":
        return new Reply(200, ClusterViews.drift(cluster, secretRegistered.test(cluster),
            driftGrace, reads.drift(cluster), reads.links(cluster)));
      default:
        List<Map.Entry<LinkKey, LinkRecord>> links = reads.links(cluster);
        Optional<String> node = ClusterViews.resolve(req.getParam("node").strip(), links);
        Optional<String> peer = ClusterViews.resolve(req.getParam("peer").strip(), links);
        if (node.isEmpty() || peer.isEmpty()) {
          return new Reply(404, new Answers.Error(404, "cluster " + cluster + " has no node '"
              + (node.isEmpty() ? req.getParam("node") : req.getParam("peer"))
              + "' (give a public key, affiliate id or node name the observer has seen)"));
        }
        LinkKey link = new LinkKey(cluster, node.get(), peer.get());
        return new Reply(200, new Answers.LinkMetrics(cluster, node.get(), peer.get(), q.from(),
            q.to(), retention, reads.windows(link, q.from(), q.to())));
    }
  }

  /** Asks the owning instance once, and passes its answer on as it is. */
  private void relay(HttpServerRequest req, ClusterLocator.Elsewhere there) {
    String by = req.getHeader(RELAYED_BY);
    if (by != null) {
      reply(req, 503, "the cluster moved while " + by + " relayed this request here; try again");
      return;
    }
    RequestOptions options = new RequestOptions().setHost(there.host()).setPort(there.port())
        .setURI(req.uri()).setMethod(HttpMethod.GET).setIdleTimeout(10_000)
        .putHeader(RELAYED_BY, self.get());
    relay.request(options)
        .compose(r -> r.send())
        .compose(resp -> resp.body().map(body -> new Relayed(resp.statusCode(), body)))
        .onComplete(ar -> {
          if (ar.failed()) {
            reply(req, 502, "the instance holding the cluster, " + there.host() + ":"
                + there.port() + ", did not answer: " + ar.cause().getMessage());
          } else {
            req.response().setStatusCode(ar.result().status())
                .putHeader("content-type", "application/json; charset=utf-8")
                .end(ar.result().body());
          }
        });
  }

  private record Relayed(int status, Buffer body) {}

  private static void reply(HttpServerRequest req, int status, String error) {
    json(req, status, new Answers.Error(status, error));
  }

  private static void json(HttpServerRequest req, int status, Object body) {
    String text;
    try {
      text = EventCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(body);
    } catch (JsonProcessingException e) {
      status = 500;
      text = "{\"status\":500,\"error\":\"cannot write the answer as JSON\"}";
    }
    req.response().setStatusCode(status)
        .putHeader("content-type", "application/json; charset=utf-8")
        .end(text + "\n");
  }
}
