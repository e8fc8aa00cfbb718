package io.spanlog.discovery.rpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors;
import io.spanlog.discovery.rpc.RpcCalls.Caller;
import io.spanlog.discovery.WriteOutcome;
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
import io.spanlog.discovery.log.EventAppender;
import io.spanlog.discovery.metrics.DiscoveryMetrics;
import io.spanlog.discovery.projection.ClusterProjection;
import io.spanlog.discovery.projection.PendingWrites;
import io.spanlog.discovery.projection.ProjectionHalted;
import io.spanlog.discovery.projection.Subscription;
import io.spanlog.discovery.projection.WatchCaps;
import io.spanlog.discovery.projection.WireMessages;
import io.spanlog.events.AffiliateDeleted;
import io.spanlog.events.AffiliateUpdated;
import io.spanlog.events.Blob;
import io.spanlog.events.Envelope;
import io.spanlog.events.Event;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.Service;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code sidero.discovery.server.Cluster} service. Writes become events appended to the log
 * and are answered once this instance's projection has applied them, with the fold's verdict;
 * List and Watch read the projection.
 */
public final class ClusterApi implements Service {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterApi.class);
  /** A write whose event does not come back through the projection by then is reported. */
  private static final Duration APPLY_TIMEOUT = Duration.ofSeconds(30);
  private static final String SERVICE = "sidero.discovery.server.Cluster";

  private final Vertx vertx;
  private final ClusterProjection view;
  private final PendingWrites pending;
  private final EventAppender appender;
  private final RpcCalls calls;
  private final WriteAdmission admission;
  private final Optional<String> redirect;
  private final DiscoveryMetrics metrics;
  private final Clock clock;
  private final String producerName;

  public ClusterApi(Vertx vertx, ClusterProjection view, PendingWrites pending, EventAppender appender,
      RpcCalls calls, WriteAdmission admission, Optional<String> redirect, Clock clock, String producerName) {
    this.vertx = vertx;
    this.view = view;
    this.pending = pending;
    this.appender = appender;
    this.calls = calls;
    this.admission = admission;
    this.redirect = redirect;
    this.metrics = calls.metrics();
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
    server.callHandler(ClusterGrpcService.Hello, req -> calls.unary(req, ClusterGrpcService.Hello, this::hello));
    server.callHandler(ClusterGrpcService.AffiliateUpdate, req -> calls.unary(req, ClusterGrpcService.AffiliateUpdate, this::update));
    server.callHandler(ClusterGrpcService.AffiliateDelete, req -> calls.unary(req, ClusterGrpcService.AffiliateDelete, this::delete));
    server.callHandler(ClusterGrpcService.List, req -> calls.unary(req, ClusterGrpcService.List, this::list));
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
    admission.update(r.getClusterId(), r.getAffiliateId(), endpoints);
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
    requireFollowing();
    RequestValidator.clusterId(r.getClusterId());
    ListResponse.Builder b = ListResponse.newBuilder();
    view.cluster(r.getClusterId()).affiliates().forEach(a -> b.addAffiliates(WireMessages.affiliate(a)));
    return Future.succeededFuture(b.build());
  }

  private void watch(GrpcServerRequest<WatchRequest, WatchResponse> req) {
    long started = System.nanoTime();
    Optional<WriteStream<Buffer>> http = GuardedGrpcRequest.httpResponseOf(req).map(h -> h);
    metrics.grpcStarted(SERVICE, "Watch", "server_stream");
    boolean[] received = {false};
    req.invalidMessageHandler(e -> failStream(req, RpcCalls.badMessage(e), started));
    req.messageHandler(RpcCalls.decoding(ClusterGrpcService.Watch, r -> {
      received[0] = true;
      metrics.grpcMessage(SERVICE, "received", "Watch", "server_stream");
      Caller caller = calls.caller(req);
      calls.admit(caller).onComplete(ar -> {
        if (ar.failed()) {
          failStream(req, ar.cause(), started);
          return;
        }
        try {
          requireFollowing();
          RequestValidator.clusterId(r.getClusterId());
        } catch (StatusError e) {
          failStream(req, e, started);
          return;
        }
        Subscription s = new Subscription(r.getClusterId(), caller.key(), vertx.getOrCreateContext(), req.response(), http, req.format(), view::unsubscribe);
        Optional<WatchCaps.Refusal> refused = view.subscribe(s);
        if (refused.isPresent()) {
          metrics.watchRefused(refused.get().reason());
          failStream(req, new StatusError(GrpcStatus.RESOURCE_EXHAUSTED, refused.get().message()), started);
          return;
        }
        req.exceptionHandler(t -> s.cancelled());
        req.errorHandler(err -> s.cancelled());
        req.response().exceptionHandler(t -> s.cancelled());
      });
    }, bad -> {
      received[0] = true;
      failStream(req, bad, started);
    }));
    req.endHandler(v -> {
      if (!received[0]) {
        failStream(req, StatusError.invalid("request message missing"), started);
      }
    });
  }

  // ---- plumbing

  /** Appends the event and answers with the fold's verdict once this instance applied it. */
  private Future<Void> write(String clusterId, String subject, Event event, Caller caller) {
    requireFollowing(); // before the append: a refused write must not take effect
    Envelope env = Envelope.of(clusterId, subject, clock.instant(), producerName, event);
    CompletableFuture<WriteOutcome> applied = pending.register(env.eventId());
    Context ctx = vertx.getOrCreateContext();
    Promise<Void> result = Promise.promise();
    // answered before the client's deadline: UNAVAILABLE (stored or not, in words) if the log did not take it by then
    Duration budget = caller.answerWithin(APPLY_TIMEOUT);
    CompletableFuture<Long> appended = appender.appendAt(env, budget);
    appended.whenComplete((ok, error) -> {
      if (error != null) {
        pending.forget(env.eventId());
        LOG.warn("append failed for cluster event {}: {}", env.eventId(), error.toString());
        ctx.runOnContext(v -> result.tryFail(RpcCalls.logUnavailable(error, "event log", "write")));
      }
    });
    applied.orTimeout(budget.toNanos(), TimeUnit.NANOSECONDS).whenComplete((outcome, error) -> ctx.runOnContext(v -> {
      if (error instanceof TimeoutException) {
        if (!appended.isDone() || appended.isCompletedExceptionally()) {
          return; // not durable: the append answers, by the same budget
        }
        pending.forget(env.eventId());
        result.tryFail(new StatusError(GrpcStatus.DEADLINE_EXCEEDED, "write appended but not yet applied; it may still take effect"));
      } else if (error instanceof ProjectionHalted halted) {
        result.tryFail(new StatusError(GrpcStatus.UNAVAILABLE, "the write is in the event log but this instance stopped before applying it (it may still take effect): " + halted.getMessage()));
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

  /** Once the projection stopped following the log, its answers would be stale: UNAVAILABLE. */
  private void requireFollowing() {
    Optional<ProjectionHalted> halted = view.halted();
    if (halted.isPresent()) {
      throw new StatusError(GrpcStatus.UNAVAILABLE, halted.get().getMessage());
    }
  }

  private void failStream(GrpcServerRequest<WatchRequest, WatchResponse> req, Throwable cause, long started) {
    StatusError e = RpcCalls.statusOf(cause);
    try {
      req.response().status(e.status()).statusMessage(e.getMessage()).end();
    } catch (IllegalStateException alreadyEnded) {
      return;
    }
    metrics.grpcHandled(SERVICE, "Watch", "server_stream", e.status().name(), System.nanoTime() - started);
  }
}
