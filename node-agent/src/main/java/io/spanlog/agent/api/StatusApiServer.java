package io.spanlog.agent.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The node's local status API: JSON over HTTP on 127.0.0.1 only (the views show the node's
 * topology; nothing outside the machine needs them). GET only; other methods get 405, other paths
 * 404, both with a JSON error.
 */
public final class StatusApiServer {
  public static final String HOST = "127.0.0.1";

  private final Vertx vertx;
  private final Map<String, Supplier<Object>> views;
  private HttpServer server;

  /** @param views path (e.g. {@code /v1/identity}) to the view, read at each request */
  public StatusApiServer(Vertx vertx, Map<String, Supplier<Object>> views) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.views = Map.copyOf(views);
  }

  /** Listens on {@code port} (0 = any free port); completes with the port. */
  public Future<Integer> start(int port) {
    return vertx.createHttpServer(new HttpServerOptions().setHost(HOST).setPort(port))
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
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void handle(HttpServerRequest req) {
    Supplier<Object> view = views.get(req.path());
    if (view == null) {
      reply(req, 404, new StatusViews.Error(404, "no such view: " + req.path() + " (try " + String.join(", ",
          new java.util.TreeSet<>(views.keySet())) + ")"));
      return;
    }
    if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
      req.response().putHeader("allow", "GET, HEAD");
      reply(req, 405, new StatusViews.Error(405, "method " + req.method() + " not allowed: the views are read-only (GET)"));
      return;
    }
    Object body;
    try {
      body = view.get();
    } catch (RuntimeException e) {
      reply(req, 500, new StatusViews.Error(500, "cannot build the view: " + e.getMessage()));
      return;
    }
    reply(req, 200, body);
  }

  private static void reply(HttpServerRequest req, int status, Object body) {
    req.response().setStatusCode(status)
        .putHeader("content-type", "application/json; charset=utf-8")
        .end(StatusJson.write(body) + "\n");
  }
}
