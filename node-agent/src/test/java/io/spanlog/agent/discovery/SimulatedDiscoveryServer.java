package io.spanlog.agent.discovery;

import com.google.protobuf.ByteString;
import io.spanlog.discovery.api.AffiliateDeleteResponse;
import io.spanlog.discovery.api.AffiliateUpdateResponse;
import io.spanlog.discovery.api.ClusterGrpcService;
import io.spanlog.discovery.api.HelloResponse;
import io.spanlog.discovery.api.RedirectMessage;
import io.spanlog.discovery.api.WatchResponse;
import io.spanlog.discovery.api.Affiliate;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A simulated discovery service for client tests: a real gRPC server on a real socket speaking
 * the discovery API, holding one cluster in memory (no TTLs, no limits). It is not the product's
 * server; like the public discovery service, it serves no telemetry API (TelemetryReporterIT
 * uses it for that).
 */
public final class SimulatedDiscoveryServer implements AutoCloseable {
  final Map<String, Affiliate> affiliates = new ConcurrentHashMap<>();
  final AtomicInteger hellos = new AtomicInteger();
  final AtomicInteger watches = new AtomicInteger();
  final AtomicInteger updates = new AtomicInteger();
  private final List<GrpcServerResponse<?, WatchResponse>> watchers = new CopyOnWriteArrayList<>();
  private final HttpServer http;
  private final byte[] clientIp;
  private final Optional<String> redirect;

  /** The discovery API only, answering Hello with 127.0.0.1 as the client's address. */
  public static SimulatedDiscoveryServer start(Vertx vertx) throws Exception {
    return new SimulatedDiscoveryServer(vertx, new byte[] {127, 0, 0, 1}, Optional.empty());
  }

  SimulatedDiscoveryServer(Vertx vertx, byte[] clientIp, Optional<String> redirect) throws Exception {
    this.clientIp = clientIp;
    this.redirect = redirect;
    GrpcServer grpc = GrpcServer.server(vertx);
    grpc.callHandler(ClusterGrpcService.Hello, req -> req.handler(r -> {
      hellos.incrementAndGet();
      var b = HelloResponse.newBuilder().setClientIp(ByteString.copyFrom(clientIp));
      redirect.ifPresent(to -> b.setRedirect(RedirectMessage.newBuilder().setEndpoint(to)));
      req.response().send(b.build());
    }));
    grpc.callHandler(ClusterGrpcService.AffiliateUpdate, req -> req.handler(r -> {
      updates.incrementAndGet();
      Affiliate old = affiliates.getOrDefault(r.getAffiliateId(), Affiliate.newBuilder().setId(r.getAffiliateId()).build());
      var b = old.toBuilder();
      if (r.hasAffiliateData() && !r.getAffiliateData().isEmpty()) {
        b.setData(r.getAffiliateData());
      }
      for (ByteString e : r.getAffiliateEndpointsList()) {
        if (!b.getEndpointsList().contains(e)) {
          b.addEndpoints(e);
        }
      }
      put(b.build());
      req.response().send(AffiliateUpdateResponse.getDefaultInstance());
    }));
    grpc.callHandler(ClusterGrpcService.AffiliateDelete, req -> req.handler(r -> {
      if (affiliates.remove(r.getAffiliateId()) != null) {
        broadcast(WatchResponse.newBuilder().setDeleted(true)
            .addAffiliates(Affiliate.newBuilder().setId(r.getAffiliateId())).build());
      }
      req.response().send(AffiliateDeleteResponse.getDefaultInstance());
    }));
    grpc.callHandler(ClusterGrpcService.Watch, req -> req.handler(r -> {
      watches.incrementAndGet();
      GrpcServerResponse<?, WatchResponse> response = req.response();
      response.write(WatchResponse.newBuilder().addAllAffiliates(affiliates.values()).build());
      watchers.add(response);
      req.connection().closeHandler(v -> watchers.remove(response));
    }));
    http = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(grpc).listen().await(10, TimeUnit.SECONDS);
  }

  public int port() {
    return http.actualPort();
  }

  /** Stores and announces an affiliate, as the server does on a change. */
  void put(Affiliate a) {
    affiliates.put(a.getId(), a);
    broadcast(WatchResponse.newBuilder().addAffiliates(a).build());
  }

  /** Ends every Watch as a full notification queue does ("lost update"). */
  void abortWatches() {
    for (var w : watchers) {
      watchers.remove(w);
      w.status(GrpcStatus.ABORTED).statusMessage("subscription canceled: lost update").end();
    }
  }

  private void broadcast(WatchResponse message) {
    watchers.forEach(w -> w.write(message));
  }

  @Override
  public void close() throws Exception {
    http.close().await(10, TimeUnit.SECONDS);
  }
}
