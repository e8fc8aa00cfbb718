package io.spanlog.discovery.rpc;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.http.HttpServerRequestInternal;
import io.vertx.core.internal.http.HttpServerRequestWrapper;
import io.vertx.grpc.common.GrpcStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP/2 request as the gRPC server sees it, with one guard: if the gRPC layer throws while
 * reading the request, the call ends at once with status INTERNAL and a message instead of
 * hanging.
 *
 * <p>Why: Vert.x gRPC 5.0.7's message deframer throws {@code UnsupportedOperationException("Handle
 * me")} for a frame whose compressed flag is set when the call has no {@code grpc-encoding}. The
 * exception escapes to the event loop (logged there), the call never gets a status and the
 * client waits until its own deadline, or forever. grpc-java answers the same input with
 * INTERNAL; so do we. Anything read after the failure is dropped.
 */
public final class GuardedGrpcRequest extends HttpServerRequestWrapper {
  private static final Logger LOG = LoggerFactory.getLogger(GuardedGrpcRequest.class);

  private boolean failed;

  public GuardedGrpcRequest(HttpServerRequest request) {
    super((HttpServerRequestInternal) request);
  }

  @Override
  public HttpServerRequest handler(Handler<Buffer> handler) {
    delegate.handler(handler == null ? null : chunk -> guarded(() -> handler.handle(chunk)));
    return this;
  }

  @Override
  public HttpServerRequest endHandler(Handler<Void> handler) {
    delegate.endHandler(handler == null ? null : v -> guarded(() -> handler.handle(v)));
    return this;
  }

  private void guarded(Runnable step) {
    if (failed) {
      return;
    }
    try {
      step.run();
    } catch (RuntimeException e) {
      failed = true;
      fail(e);
    }
  }

  private void fail(RuntimeException e) {
    String message = "Handle me".equals(e.getMessage())
        ? "compressed message without grpc-encoding"
        : "request could not be read";
    LOG.debug("{} {}: {}", delegate.path(), message, e.toString());
    HttpServerResponse response = delegate.response();
    if (response.ended() || response.closed()) {
      return;
    }
    if (response.headWritten()) {
      // the call already answered headers: a trailer can no longer be sent cleanly
      response.reset();
      return;
    }
    response.setStatusCode(200)
        .putHeader("content-type", "application/grpc")
        .putHeader("grpc-status", Integer.toString(GrpcStatus.INTERNAL.code))
        .putHeader("grpc-message", message)
        .end();
  }
}
