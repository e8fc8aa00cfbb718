package io.spanlog.discovery.server;

import com.google.protobuf.ByteString;
import io.spanlog.discovery.api.AffiliateDeleteRequest;
import io.spanlog.discovery.api.AffiliateDeleteResponse;
import io.spanlog.discovery.api.AffiliateUpdateRequest;
import io.spanlog.discovery.api.AffiliateUpdateResponse;
import io.spanlog.discovery.api.ClusterGrpcClient;
import io.spanlog.discovery.api.HelloRequest;
import io.spanlog.discovery.api.HelloResponse;
import io.spanlog.discovery.api.ListRequest;
import io.spanlog.discovery.api.ListResponse;
import io.spanlog.discovery.api.WatchRequest;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.common.GrpcErrorException;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real gRPC client over a socket, reporting status and message of every call (the generated
 * stub drops the message).
 */
final class ApiClient implements AutoCloseable {
  record Reply<T>(GrpcStatus status, String message, T value) {
    T ok() {
      if (status != GrpcStatus.OK) {
        throw new AssertionError("expected OK, got " + status + ": " + message);
      }
      return value;
    }
  }

  private final Vertx vertx;
  private final GrpcClient client;
  private final SocketAddress address;

  ApiClient(Vertx vertx, int port) {
    this(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false).setHttp2MultiplexingLimit(2000),
        SocketAddress.inetSocketAddress(port, "127.0.0.1"));
  }

  /**
   * A client with its own connection options (e.g. TLS, a local address) to the given address.
   * Like a Talos node, it enforces its deadlines: an answer later than that is no answer.
   */
  ApiClient(Vertx vertx, HttpClientOptions options, SocketAddress address) {
    this.vertx = vertx;
    // deadlines enforced like a Talos node; 8 MiB messages as gRPC clients usually allow 4: a full
    // cluster's List or Watch snapshot is ~4.4 MiB
    this.client = GrpcClient.client(vertx, new GrpcClientOptions().setScheduleDeadlineAutomatically(true)
        .setMaxMessageSize(8 * 1024 * 1024), options);
    this.address = address;
  }

  /** A client on 127.0.0.1 whose connections come from {@code localAddress} (any 127.x address on Linux). */
  static ApiClient from(Vertx vertx, String localAddress, int port) {
    return new ApiClient(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false)
        .setHttp2MultiplexingLimit(2000).setLocalAddress(localAddress), SocketAddress.inetSocketAddress(port, "127.0.0.1"));
  }

  <Q, R> Reply<R> call(ServiceMethod<R, Q> method, Q request, Map<String, String> headers) {
    try {
      return callAsync(method, request, headers, Duration.ofSeconds(20)).await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("call failed without a status: " + e, e);
    }
  }

  /**
   * The call's status, message and answer; CANCELLED "no answer within the deadline" when the
   * deadline passed without one; fails only if the call got no status at all.
   */
  <Q, R> Future<Reply<R>> callAsync(ServiceMethod<R, Q> method, Q request, Map<String, String> headers, Duration timeout) {
    return client.request(address, method).compose(req -> {
      headers.forEach(req.headers()::set);
      req.timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return req.send(request).compose(resp -> resp.last()
          .map(v -> new Reply<>(resp.status(), resp.statusMessage(), v))
          .recover(e -> Future.succeededFuture(new Reply<R>(resp.status(), resp.statusMessage(), null))))
          .recover(e -> e instanceof GrpcErrorException g && g.status() == GrpcStatus.CANCELLED
              ? Future.succeededFuture(new Reply<R>(GrpcStatus.CANCELLED, "no answer within the deadline", null))
              : Future.failedFuture(e));
    });
  }

  Reply<HelloResponse> hello(String cluster, String version, Map<String, String> headers) {
    return call(ClusterGrpcClient.Hello, HelloRequest.newBuilder().setClusterId(cluster).setClientVersion(version).build(), headers);
  }

  Reply<AffiliateUpdateResponse> update(AffiliateUpdateRequest r) {
    return call(ClusterGrpcClient.AffiliateUpdate, r, Map.of());
  }

  Reply<AffiliateUpdateResponse> update(String cluster, String affiliate, String data, Duration ttl, ByteString... endpoints) {
    AffiliateUpdateRequest.Builder b = AffiliateUpdateRequest.newBuilder().setClusterId(cluster).setAffiliateId(affiliate)
        .addAllAffiliateEndpoints(List.of(endpoints))
        .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(ttl.getSeconds()).setNanos(ttl.getNano()));
    if (data != null) {
      b.setAffiliateData(ByteString.copyFromUtf8(data));
    }
    return update(b.build());
  }

  Reply<AffiliateDeleteResponse> delete(String cluster, String affiliate) {
    return call(ClusterGrpcClient.AffiliateDelete, AffiliateDeleteRequest.newBuilder().setClusterId(cluster).setAffiliateId(affiliate).build(), Map.of());
  }

  Reply<ListResponse> list(String cluster) {
    return call(ClusterGrpcClient.List, ListRequest.newBuilder().setClusterId(cluster).build(), Map.of());
  }

  Watcher watch(String cluster) {
    return watch(cluster, false);
  }

  /** @param paused read nothing until {@link Watcher#resume()}: not even the snapshot */
  Watcher watch(String cluster, boolean paused) {
    Watcher w = new Watcher();
    client.request(address, ClusterGrpcClient.Watch).onComplete(ar -> {
      if (ar.failed()) {
        w.ended(GrpcStatus.UNAVAILABLE, ar.cause().toString());
        return;
      }
      var req = ar.result();
      w.request(req);
      req.end(WatchRequest.newBuilder().setClusterId(cluster).build());
      req.response().onComplete(r -> {
        if (r.failed()) {
          w.ended(GrpcStatus.UNAVAILABLE, r.cause().toString());
          return;
        }
        var resp = r.result();
        if (paused) {
          resp.pause();
        }
        w.response(resp);
        resp.handler(w::received);
        // after messages, the status message travels in the trailers, where Vert.x's client leaves it
        resp.endHandler(v -> w.ended(resp.status(), resp.statusMessage() != null ? resp.statusMessage()
            : resp.trailers() == null || resp.trailers().get("grpc-message") == null ? null
            : java.net.URLDecoder.decode(resp.trailers().get("grpc-message").replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8)));
        resp.exceptionHandler(t -> w.ended(resp.status() == null ? GrpcStatus.UNKNOWN : resp.status(), t.toString()));
      });
    });
    return w;
  }

  static MultiMap none() {
    return MultiMap.caseInsensitiveMultiMap();
  }

  @Override
  public void close() {
    client.close();
  }
}
