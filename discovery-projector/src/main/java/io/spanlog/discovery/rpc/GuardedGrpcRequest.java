package io.spanlog.discovery.rpc;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.http.HttpServerRequestInternal;
import io.vertx.core.internal.http.HttpServerRequestWrapper;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServerRequest;
import java.lang.ref.WeakReference;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP/2 request as the gRPC server sees it, with two guards.
 *
 * <p>Size first: the length prefix of every request message is read as it arrives, and a
 * message announcing more than its method accepts ({@link RpcCalls#maxMessageBytes}) ends the call
 * at once with RESOURCE_EXHAUSTED and a sentence, before its body is buffered, decoded or waits
 * for a rate-limit token. Vert.x would otherwise buffer up to its one server-wide limit (4 MiB)
 * per stream before anyone looks at the message.
 *
 * <p>Then failures: if the gRPC layer throws while reading the request, the call ends at once
 * with status INTERNAL and a message instead of hanging.
 *
 * <p>Why: Vert.x gRPC 5.0.7's message deframer throws {@code UnsupportedOperationException("Handle
 * me")} for a frame whose compressed flag is set when the call has no {@code grpc-encoding}. The
 * exception escapes to the event loop (logged there), the call never gets a status and the
 * client waits until its own deadline, or forever. grpc-java answers the same input with
 * INTERNAL; so do we. Anything read after the failure is dropped.
 */
public final class GuardedGrpcRequest extends HttpServerRequestWrapper {
  private static final Logger LOG = LoggerFactory.getLogger(GuardedGrpcRequest.class);

  /** The request wrapped last on this thread: the gRPC server dispatches its call right after. */
  private static final ThreadLocal<WeakReference<GuardedGrpcRequest>> DISPATCHING = new ThreadLocal<>();

  private final int maxMessageBytes;
  private final Runnable onOversize;
  private boolean failed;
  // the length prefix being read: how many of its 5 bytes were seen, and the length so far
  private int prefixSeen;
  private long declared;
  // body bytes of the current message still to come
  private long bodyLeft;

  /**
   * @param maxMessageBytes the largest message this call's method accepts
   * @param onOversize told when a call is refused for its size (a metric)
   */
  public GuardedGrpcRequest(HttpServerRequest request, int maxMessageBytes, Runnable onOversize) {
    super((HttpServerRequestInternal) request);
    this.maxMessageBytes = maxMessageBytes;
    this.onOversize = onOversize;
    DISPATCHING.set(new WeakReference<>(this));
  }

  /**
   * The HTTP/2 response under a plain gRPC call (protobuf, no gRPC-Web), for writing pre-framed
   * message bytes; only from the call's handler as the server invokes it (Vert.x gRPC 5.0.7
   * dispatches a call synchronously while handling its request, and offers no accessor). Empty
   * otherwise: the caller then writes messages through the gRPC response.
   */
  public static Optional<HttpServerResponse> httpResponseOf(GrpcServerRequest<?, ?> call) {
    WeakReference<GuardedGrpcRequest> ref = DISPATCHING.get();
    DISPATCHING.remove();
    GuardedGrpcRequest wrapped = ref == null ? null : ref.get();
    if (wrapped == null || wrapped.headers() != call.headers()) {
      return Optional.empty();
    }
    String type = wrapped.getHeader("content-type");
    if (!"application/grpc".equals(type) && !"application/grpc+proto".equals(type)) {
      return Optional.empty();
    }
    return Optional.of(wrapped.response());
  }

  @Override
  public HttpServerRequest handler(Handler<Buffer> handler) {
    delegate.handler(handler == null ? null : chunk -> guarded(() -> {
      long tooLarge = oversized(chunk);
      if (tooLarge >= 0) {
        failed = true;
        onOversize.run();
        answer(GrpcStatus.RESOURCE_EXHAUSTED, "request message of " + tooLarge + " bytes is larger than this method accepts ("
            + maxMessageBytes + " bytes)");
        return;
      }
      handler.handle(chunk);
    }));
    return this;
  }

  /** The declared length of a message in {@code chunk} that is over the limit, else -1. */
  private long oversized(Buffer chunk) {
    int n = chunk.length();
    for (int i = 0; i < n; ) {
      if (bodyLeft > 0) {
        int skip = (int) Math.min(bodyLeft, n - i);
        bodyLeft -= skip;
        i += skip;
        continue;
      }
      int b = chunk.getByte(i++) & 0xff;
      if (prefixSeen > 0) { // byte 0 is the compressed flag, bytes 1..4 the length (big-endian)
        declared = (declared << 8) | b;
      }
      if (++prefixSeen == 5) {
        if (declared > maxMessageBytes) {
          return declared;
        }
        bodyLeft = declared;
        prefixSeen = 0;
        declared = 0;
      }
    }
    return -1;
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
    answer(GrpcStatus.INTERNAL, message);
  }

  /** Ends the call with a status and no message, unless it already answered. */
  private void answer(GrpcStatus status, String message) {
    HttpServerResponse response = delegate.response();
    if (response.ended() || response.closed()) {
      return;
    }
    if (response.headWritten()) {
      // the call already answered headers: a trailer can no longer be sent cleanly
      response.reset();
      return;
    }
    trailersOnly(response, status, message);
  }

  /**
   * A gRPC answer without a message ("trailers-only"): status and a sentence. The sentence must be
   * printable ASCII without '%', which is what grpc-message carries without percent-encoding.
   */
  static void trailersOnly(HttpServerResponse response, GrpcStatus status, String message) {
    response.setStatusCode(200)
        .putHeader("content-type", "application/grpc")
        .putHeader("grpc-status", Integer.toString(status.code))
        .putHeader("grpc-message", message)
        .end();
  }
}
