package io.spanlog.agent.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The node's local status API: JSON over HTTP on 127.0.0.1 only (the views show the node's
 * topology; nothing outside the machine needs them). Views are GET only, actions (the node's
 * leave) POST only; other methods get 405, other paths 404, all with a JSON error.
 */
public final class StatusApiServer {
  public static final String HOST = "127.0.0.1";

  private static final int MAX_BODY_BYTES = 4096;

  /** What an action answers; {@code afterSent} runs once the response has been written. */
  public record Reply(int status, Object body, Runnable afterSent) {
    public static Reply of(int status, Object body) {
      return new Reply(status, body, () -> { });
    }

    public static Reply error(int status, String message) {
      return of(status, new StatusViews.Error(status, message));
    }
  }

  /** A POST endpoint: gets the request body (UTF-8 text, at most 4 KiB), answers later. */
  public interface Action {
    Future<Reply> handle(String body);
  }

  private final Vertx vertx;
  private final Map<String, Supplier<Object>> views;
  private final Map<String, Action> actions;
  private HttpServer server;

  /** @param views path (e.g. {@code /v1/identity}) to the view, read at each request */
  public StatusApiServer(Vertx vertx, Map<String, Supplier<Object>> views) {
    this(vertx, views, Map.of());
  }

  /** @param actions path (e.g. {@code /v1/leave}) to what a POST there does */
  public StatusApiServer(Vertx vertx, Map<String, Supplier<Object>> views, Map<String, Action> actions) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.views = Map.copyOf(views);
    this.actions = Map.copyOf(actions);
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
    Action action = actions.get(req.path());
    if (action != null) {
      act(req, action);
      return;
    }
    Supplier<Object> view = views.get(req.path());
    if (view == null) {
      var known = new java.util.TreeSet<>(views.keySet());
      known.addAll(actions.keySet());
      reply(req, 404, new StatusViews.Error(404, "no such view: " + req.path() + " (try " + String.join(", ", known)
          + ")"));
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

  private void act(HttpServerRequest req, Action action) {
    if (req.method() != HttpMethod.POST) {
      req.response().putHeader("allow", "POST");
      reply(req, 405, new StatusViews.Error(405, "method " + req.method() + " not allowed: " + req.path() + " is POST"));
      return;
    }
    if (tooLong(req.getHeader("content-length"))) {
      refuseTooLong(req);
      return;
    }
    // Read chunk by chunk rather than req.body(): a chunked body announces no length, and a
    // local process must not make the agent buffer an endless one.
    Buffer body = Buffer.buffer();
    boolean[] refused = {false};
    req.handler(chunk -> {
      if (refused[0]) {
        return;
      }
      if (body.length() + chunk.length() > MAX_BODY_BYTES) {
        refused[0] = true;
        refuseTooLong(req);
        return;
      }
      body.appendBuffer(chunk);
    });
    req.exceptionHandler(e -> refused[0] = true); // the client went away: nobody to answer
    req.endHandler(end -> {
      if (refused[0]) {
        return;
      }
      action.handle(body.toString(StandardCharsets.UTF_8)).onComplete(ar -> {
        Reply r = ar.succeeded() ? ar.result() : Reply.error(500, "cannot carry out " + req.path() + ": "
            + ar.cause().getMessage());
        reply(req, r.status(), r.body()).onComplete(sent -> r.afterSent().run());
      });
    });
  }

  /** 413 at once, then the connection is closed: the rest of the body is never read. */
  private static void refuseTooLong(HttpServerRequest req) {
    req.response().putHeader("connection", "close");
    reply(req, 413, new StatusViews.Error(413, "the body is larger than " + MAX_BODY_BYTES + " bytes"))
        .onComplete(sent -> req.connection().close());
  }

  private static boolean tooLong(String contentLength) {
    if (contentLength == null) {
      return false; // chunked: counted while it is read
    }
    try {
      return Long.parseLong(contentLength.trim()) > MAX_BODY_BYTES;
    } catch (NumberFormatException e) {
      return true;
    }
  }

  private static Future<Void> reply(HttpServerRequest req, int status, Object body) {
    return req.response().setStatusCode(status)
        .putHeader("content-type", "application/json; charset=utf-8")
        .end(StatusJson.write(body) + "\n");
  }
}
