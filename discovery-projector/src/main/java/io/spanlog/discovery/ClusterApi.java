package io.spanlog.discovery;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors;
import io.spanlog.discovery.api.AffiliateDeleteRequest;
import io.spanlog.discovery.api.AffiliateDeleteResponse;
import io.spanlog.discovery.api.AffiliateUpdateRequest;
import io.spanlog.discovery.api.AffiliateUpdateResponse;
import io.spanlog.discovery.api.ClusterGrpcService;
import io.spanlog.discovery.api.HelloRequest;
import io.spanlog.discovery.api.HelloResponse;
import io.spanlog.discovery.api.ListRequest;
import io.spanlog.discovery.api.ListResponse;
import io.spanlog.discovery.api.RedirectMessage;
import io.spanlog.discovery.api.WatchRequest;
import io.spanlog.discovery.api.WatchResponse;
import io.spanlog.events.AffiliateDeleted;
import io.spanlog.events.AffiliateUpdated;
import io.spanlog.events.Blob;
import io.spanlog.events.Envelope;
import io.spanlog.events.Event;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.MessageSizeOverflowException;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.Service;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code sidero.discovery.server.Cluster} service. Writes become events appended to the log
 * and are answered once this instance's projection has applied them, with the fold's verdict;
 * List and Watch read the projection.
 */
final class ClusterApi implements Service {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterApi.class);
  /** A write whose event does not come back through the projection by then is reported. */
  private static final Duration APPLY_TIMEOUT = Duration.ofSeconds(30);

  /** What is known about the caller of one RPC. */
  record Caller(Optional<InetAddress> address, long deadlineMillis) {
    String key() {
      return address.map(InetAddress::getHostAddress).orElse("unknown");
    }

    Optional<String> origin() {
      return address.map(InetAddress::getHostAddress);
    }
  }

  private final Vertx vertx;
  private final DiscoveryView view;
  private final PendingWrites pending;
  private final EventAppender appender;
  private final RateLimiter limiter;
  private final ClientAddress clientAddress;
  private final Optional<String> redirect;
  private final DiscoveryMetrics metrics;
  private final Clock clock;
  private final String producerName;

  ClusterApi(Vertx vertx, DiscoveryView view, PendingWrites pending, EventAppender appender,
      RateLimiter limiter, ClientAddress clientAddress, Optional<String> redirect,
      DiscoveryMetrics metrics, Clock clock, String producerName) {
    this.vertx = vertx;
    this.view = view;
    this.pending = pending;
    this.appender = appender;
    this.limiter = limiter;
    this.clientAddress = clientAddress;
    this.redirect = redirect;
    this.metrics = metrics;
    this.clock = clock;
    this.producerName = producerName;
  }

  @Override
  public ServiceName name() {
    return ClusterGrpcService.SERVICE_NAME;
  }

  @Override
  public Descriptors.ServiceDescriptor descriptor() {
    return ClusterGrpcService.SERVICE_DESCRIPTOR;
  }

  @Override
  public void bind(GrpcServer server) {
    server.callHandler(ClusterGrpcService.Hello, req -> unary(req, "Hello", this::hello));
    server.callHandler(ClusterGrpcService.AffiliateUpdate, req -> unary(req, "AffiliateUpdate", this::update));
    server.callHandler(ClusterGrpcService.AffiliateDelete, req -> unary(req, "AffiliateDelete", this::delete));
    server.callHandler(ClusterGrpcService.List, req -> unary(req, "List", this::list));
    server.callHandler(ClusterGrpcService.Watch, this::watch);
  }

  // ---- the five methods

  private Future<HelloResponse> hello(HelloRequest r, Caller caller) {
    metrics.hello(r.getClientVersion());
    RequestValidator.clusterId(r.getClusterId());
    HelloResponse.Builder b = HelloResponse.newBuilder();
    caller.address().ifPresent(ip -> b.setClientIp(ByteString.copyFrom(ip.getAddress())));
    redirect.ifPresent(target -> b.setRedirect(RedirectMessage.newBuilder().setEndpoint(target)));
    return Future.succeededFuture(b.build());
  }

  private Future<AffiliateUpdateResponse> update(AffiliateUpdateRequest r, Caller caller) {
    RequestValidator.update(r);
    List<Blob> endpoints = r.getAffiliateEndpointsList().stream().map(WireMessages::blob).toList();
    Optional<Blob> data =
        r.hasAffiliateData() && !r.getAffiliateData().isEmpty()
            ? Optional.of(WireMessages.blob(r.getAffiliateData()))
            : Optional.empty();
    Event e = new AffiliateUpdated(r.getAffiliateId(), data, endpoints, RequestValidator.ttl(r), caller.origin());
    return write(r.getClusterId(), r.getAffiliateId(), e, caller)
        .map(v -> AffiliateUpdateResponse.getDefaultInstance());
  }

  private Future<AffiliateDeleteResponse> delete(AffiliateDeleteRequest r, Caller caller) {
    RequestValidator.clusterId(r.getClusterId());
    RequestValidator.affiliateId(r.getAffiliateId());
    Event e = new AffiliateDeleted(r.getAffiliateId(), caller.origin());
    return write(r.getClusterId(), r.getAffiliateId(), e, caller)
        .map(v -> AffiliateDeleteResponse.getDefaultInstance());
  }

  private Future<ListResponse> list(ListRequest r, Caller caller) {
    RequestValidator.clusterId(r.getClusterId());
    ListResponse.Builder b = ListResponse.newBuilder();
    view.cluster(r.getClusterId()).affiliates().forEach(a -> b.addAffiliates(WireMessages.affiliate(a)));
    return Future.succeededFuture(b.build());
  }

  private void watch(GrpcServerRequest<WatchRequest, WatchResponse> req) {
    long started = System.nanoTime();
    metrics.grpcStarted("Watch", "server_stream");
    boolean[] received = {false};
    req.invalidMessageHandler(e -> failStream(req, badMessage(e), started));
    req.handler(r -> {
      received[0] = true;
      metrics.grpcMessage("received", "Watch", "server_stream");
      Caller caller = caller(req);
      admit(caller).onComplete(ar -> {
        if (ar.failed()) {
          failStream(req, ar.cause(), started);
          return;
        }
        try {
          RequestValidator.clusterId(r.getClusterId());
        } catch (StatusError e) {
          failStream(req, e, started);
          return;
        }
        Subscription s = new Subscription(r.getClusterId(), vertx.getOrCreateContext(), req.response(), view::unsubscribe);
        req.exceptionHandler(t -> s.cancelled());
        req.errorHandler(err -> s.cancelled());
        req.response().exceptionHandler(t -> s.cancelled());
        view.subscribe(s);
      });
    });
    req.endHandler(v -> {
      if (!received[0]) {
        failStream(req, StatusError.invalid("request message missing"), started);
      }
    });
  }

  // ---- plumbing

  /** Appends the event and answers with the fold's verdict once this instance applied it. */
  private Future<Void> write(String clusterId, String subject, Event event, Caller caller) {
    Envelope env = Envelope.of(clusterId, subject, clock.instant(), producerName, event);
    CompletableFuture<WriteOutcome> applied = pending.register(env.eventId());
    Context ctx = vertx.getOrCreateContext();
    Promise<Void> result = Promise.promise();
    appender.append(env).whenComplete((ok, error) -> {
      if (error != null) {
        pending.forget(env.eventId());
        LOG.warn("append failed for cluster event {}: {}", env.eventId(), error.toString());
        ctx.runOnContext(v -> result.tryFail(new StatusError(GrpcStatus.UNAVAILABLE, "event log unavailable, write not stored")));
      }
    });
    long waitMillis = caller.deadlineMillis() > 0 ? Math.min(caller.deadlineMillis(), APPLY_TIMEOUT.toMillis()) : APPLY_TIMEOUT.toMillis();
    applied.orTimeout(waitMillis, TimeUnit.MILLISECONDS).whenComplete((outcome, error) -> ctx.runOnContext(v -> {
      if (error instanceof TimeoutException) {
        pending.forget(env.eventId());
        result.tryFail(new StatusError(GrpcStatus.DEADLINE_EXCEEDED, "write appended but not yet applied; it may still take effect"));
      } else if (error != null) {
        result.tryFail(error);
      } else if (outcome.ok()) {
        result.tryComplete();
      } else {
        result.tryFail(new StatusError(GrpcStatus.RESOURCE_EXHAUSTED, outcome.message()));
      }
    }));
    return result.future();
  }

  private <Q, R> void unary(GrpcServerRequest<Q, R> req, String method, BiFunction<Q, Caller, Future<R>> handler) {
    long started = System.nanoTime();
    metrics.grpcStarted(method, "unary");
    boolean[] received = {false};
    req.invalidMessageHandler(e -> respond(req, method, Future.failedFuture(badMessage(e)), started));
    req.handler(msg -> {
      if (received[0]) {
        respond(req, method, Future.failedFuture(StatusError.invalid("unary call with more than one request message")), started);
        return;
      }
      received[0] = true;
      metrics.grpcMessage("received", method, "unary");
      Caller caller = caller(req);
      Future<R> result = admit(caller).compose(v -> {
        try {
          return handler.apply(msg, caller);
        } catch (RuntimeException e) {
          return Future.failedFuture(e);
        }
      });
      result.onComplete(ar -> respond(req, method, ar.succeeded() ? Future.succeededFuture(ar.result()) : Future.failedFuture(ar.cause()), started));
    });
    req.endHandler(v -> {
      if (!received[0]) {
        respond(req, method, Future.failedFuture(StatusError.invalid("request message missing")), started);
      }
    });
    req.exceptionHandler(t -> { /* the client reset the stream; nothing to answer */ });
  }

  private <Q, R> void respond(GrpcServerRequest<Q, R> req, String method, Future<R> outcome, long started) {
    try {
      if (outcome.succeeded()) {
        req.response().end(outcome.result());
        metrics.grpcMessage("sent", method, "unary");
        metrics.grpcHandled(method, "unary", "OK", System.nanoTime() - started);
        return;
      }
      StatusError e = statusOf(outcome.cause());
      req.response().status(e.status()).statusMessage(e.getMessage()).end();
      metrics.grpcHandled(method, "unary", e.status().name(), System.nanoTime() - started);
    } catch (IllegalStateException alreadyEnded) {
      // answered already (e.g. a bad second message) or the stream is gone
    }
  }

  private void failStream(GrpcServerRequest<WatchRequest, WatchResponse> req, Throwable cause, long started) {
    StatusError e = statusOf(cause);
    try {
      req.response().status(e.status()).statusMessage(e.getMessage()).end();
    } catch (IllegalStateException alreadyEnded) {
      return;
    }
    metrics.grpcHandled("Watch", "server_stream", e.status().name(), System.nanoTime() - started);
  }

  private static StatusError statusOf(Throwable t) {
    if (t instanceof StatusError s) {
      return s;
    }
    LOG.error("internal error in a discovery RPC", t);
    return new StatusError(GrpcStatus.INTERNAL, "internal error");
  }

  private static StatusError badMessage(Throwable e) {
    if (e instanceof MessageSizeOverflowException) {
      return new StatusError(GrpcStatus.RESOURCE_EXHAUSTED, "request message is larger than the server accepts");
    }
    return StatusError.invalid("request is not a valid protobuf message of this method");
  }

  private Caller caller(GrpcServerRequest<?, ?> req) {
    String peer = req.connection().remoteAddress() == null ? null : req.connection().remoteAddress().hostAddress();
    Optional<InetAddress> ip = clientAddress.resolve(req.headers().get("x-real-ip"), req.headers().get("x-forwarded-for"), peer);
    return new Caller(ip, req.timeout());
  }

  /** Per-address rate limit: wait for a token, or fail if the wait would pass the deadline. */
  private Future<Void> admit(Caller caller) {
    long maxWait = caller.deadlineMillis() > 0 ? TimeUnit.MILLISECONDS.toNanos(caller.deadlineMillis()) : Long.MAX_VALUE;
    long wait = limiter.reserve(caller.key(), maxWait);
    if (wait == RateLimiter.REFUSED) {
      return Future.failedFuture(new StatusError(GrpcStatus.RESOURCE_EXHAUSTED, "rate limit exceeds request timeout"));
    }
    if (wait == 0) {
      return Future.succeededFuture();
    }
    Promise<Void> p = Promise.promise();
    vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)), id -> p.complete());
    return p.future();
  }
}
