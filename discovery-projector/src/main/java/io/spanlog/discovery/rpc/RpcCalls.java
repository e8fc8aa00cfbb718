package io.spanlog.discovery.rpc;

import io.spanlog.discovery.log.EventAppender;
import io.spanlog.discovery.metrics.DiscoveryMetrics;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.MessageSizeOverflowException;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.server.GrpcServerRequest;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every RPC of this server shares, whichever service it belongs to: who the caller is, the
 * per-address rate limit, one answer per unary call with a status and a message, and the gRPC
 * server metrics.
 */
public final class RpcCalls {
  private static final Logger LOG = LoggerFactory.getLogger(RpcCalls.class);
  /**
   * The largest request message, compressed or not: the reference's (and gRPC's usual) receive
   * limit. Spanlog's telemetry reports may be this large (a batch names every peer of a node).
   */
  public static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
  /**
   * The largest request message of the discovery API ({@code sidero.discovery.server.Cluster}).
   * A valid one is at most about 5 KiB (spec section 8: two 256-byte ids, 2 KiB of data, 64
   * endpoints of 32 bytes, a ttl); anything larger is refused before it is buffered, so that a
   * client's waiting calls hold kilobytes, not the 4 MiB the transport would allow.
   */
  public static final int MAX_DISCOVERY_MESSAGE_BYTES = 64 * 1024;
  private static final String DISCOVERY_SERVICE = "sidero.discovery.server.Cluster";
  /** A call answers this much before its deadline (at most a quarter of what is left). */
  static final Duration ANSWER_MARGIN = Duration.ofMillis(500);

  /**
   * What is known about the caller of one RPC.
   *
   * @param deadlineMillis the call's timeout as the client sent it; 0 without one
   * @param receivedNanos when the call was read ({@link System#nanoTime()})
   */
  record Caller(Optional<InetAddress> address, long deadlineMillis, long receivedNanos) {
    Caller(Optional<InetAddress> address, long deadlineMillis) {
      this(address, deadlineMillis, System.nanoTime());
    }

    /**
     * How long this call may still take before it must answer: what is left of its deadline,
     * less a margin for the answer to reach the client (whose clock started first), and never
     * more than {@code cap}, which is also the budget of a call without a deadline.
     */
    Duration answerWithin(Duration cap) {
      if (deadlineMillis <= 0) {
        return cap;
      }
      long left = TimeUnit.MILLISECONDS.toNanos(deadlineMillis) - (System.nanoTime() - receivedNanos);
      long margin = Math.min(ANSWER_MARGIN.toNanos(), left / 4);
      return Duration.ofNanos(Math.max(1_000_000, Math.min(cap.toNanos(), left - margin)));
    }

    /** Whose rate-limit bucket: the address, or its /64 for IPv6 ({@link ClientAddress#limitKey}). */
    String key() {
      return ClientAddress.limitKey(address);
    }

    Optional<String> origin() {
      return address.map(InetAddress::getHostAddress);
    }
  }

  private final Vertx vertx;
  private final RateLimiter limiter;
  private final ClientAddress clientAddress;
  private final DiscoveryMetrics metrics;

  public RpcCalls(Vertx vertx, RateLimiter limiter, ClientAddress clientAddress, DiscoveryMetrics metrics) {
    this.vertx = vertx;
    this.limiter = limiter;
    this.clientAddress = clientAddress;
    this.metrics = metrics;
  }

  DiscoveryMetrics metrics() {
    return metrics;
  }

  /**
   * Serves one unary call: exactly one request message, rate limit, then the handler; the call
   * always ends with the handler's answer or a status (a missing, second or unparsable message
   * included).
   */
  <Q, R> void unary(GrpcServerRequest<Q, R> req, ServiceMethod<Q, R> serviceMethod, BiFunction<Q, Caller, Future<R>> handler) {
    String service = serviceMethod.serviceName().fullyQualifiedName();
    String method = serviceMethod.methodName();
    long started = System.nanoTime();
    metrics.grpcStarted(service, method, "unary");
    boolean[] received = {false};
    boolean[] gone = {false};
    req.invalidMessageHandler(e -> respond(req, service, method, Future.failedFuture(badMessage(e)), started));
    req.messageHandler(decoding(serviceMethod, msg -> {
      if (received[0]) {
        respond(req, service, method, Future.failedFuture(StatusError.invalid("unary call with more than one request message")), started);
        return;
      }
      received[0] = true;
      metrics.grpcMessage(service, "received", method, "unary");
      Caller caller = caller(req);
      Future<R> result = admit(caller).compose(v -> {
        try {
          return handler.apply(msg, caller);
        } catch (RuntimeException e) {
          return Future.failedFuture(e);
        }
      });
      result.onComplete(ar -> {
        if (gone[0]) {
          metrics.grpcHandled(service, method, "unary", GrpcStatus.CANCELLED.name(), System.nanoTime() - started);
          return;
        }
        respond(req, service, method, ar, started);
      });
    }, bad -> {
      received[0] = true;
      respond(req, service, method, Future.failedFuture(bad), started);
    }));
    req.endHandler(v -> {
      if (!received[0]) {
        respond(req, service, method, Future.failedFuture(StatusError.invalid("request message missing")), started);
      }
    });
    // The client reset the stream (or the connection went): nothing to answer, and writing to
    // the reset stream makes Vert.x 5.0.7 log a NullPointerException from Http2ServerResponse.end.
    req.exceptionHandler(t -> gone[0] = true);
    req.errorHandler(e -> gone[0] = true);
  }

  /**
   * Decodes request messages here rather than in Vert.x: Vert.x gRPC 5.0.7 answers a message that
   * does not parse by resetting the stream (CANCEL) with no status and no message, which a client
   * cannot tell from a network fault. Here it gets INVALID_ARGUMENT and a sentence.
   */
  static <Q> Handler<GrpcMessage> decoding(ServiceMethod<Q, ?> method, Handler<Q> onMessage, Handler<StatusError> onBad) {
    int maxBytes = maxMessageBytes("/" + method.fullMethodName());
    return raw -> {
      Q message;
      try {
        message = method.decoder().decode(MessageEncodings.identity(raw, maxBytes));
      } catch (StatusError e) {
        onBad.handle(e);
        return;
      } catch (RuntimeException e) { // CodecException, or whatever protobuf throws on garbage
        onBad.handle(StatusError.invalid("request is not a valid protobuf message of this method"));
        return;
      }
      onMessage.handle(message);
    };
  }

  /** The largest request message (uncompressed) of the method at this HTTP path. */
  public static int maxMessageBytes(String path) {
    return path.startsWith("/" + DISCOVERY_SERVICE + "/") ? MAX_DISCOVERY_MESSAGE_BYTES : MAX_MESSAGE_BYTES;
  }

  private <Q, R> void respond(GrpcServerRequest<Q, R> req, String service, String method, io.vertx.core.AsyncResult<R> outcome, long started) {
    String code;
    try {
      if (outcome.succeeded()) {
        req.response().end(outcome.result());
        metrics.grpcMessage(service, "sent", method, "unary");
        code = "OK";
      } else {
        StatusError e = statusOf(outcome.cause());
        req.response().status(e.status()).statusMessage(e.getMessage()).end();
        code = e.status().name();
      }
    } catch (IllegalStateException alreadyEnded) {
      // answered already (e.g. a bad second message, counted then) or the stream is gone
      return;
    } catch (NullPointerException connectionGone) {
      // Vert.x 5.0.7 throws this from Http2ServerResponse.end when the client's connection closed
      // while the answer was on its way (it disposes the stream with a null write promise): the
      // client is gone, nobody is left to answer
      code = GrpcStatus.CANCELLED.name();
    }
    metrics.grpcHandled(service, method, "unary", code, System.nanoTime() - started);
  }

  static StatusError statusOf(Throwable t) {
    if (t instanceof StatusError s) {
      return s;
    }
    LOG.error("internal error in an RPC", t);
    return new StatusError(GrpcStatus.INTERNAL, "internal error");
  }

  static StatusError badMessage(Throwable e) {
    if (e instanceof MessageSizeOverflowException) {
      return new StatusError(GrpcStatus.RESOURCE_EXHAUSTED, "request message is larger than the server accepts");
    }
    return StatusError.invalid("request is not a valid protobuf message of this method");
  }

  Caller caller(GrpcServerRequest<?, ?> req) {
    return new Caller(clientAddress.of(req.headers(), req.connection()), req.timeout());
  }

  /**
   * The status of a write the log did not take: UNAVAILABLE, saying whether it was stored
   * ({@link EventAppender.Unavailable}), e.g. "the event log (Kafka) is unavailable; the write
   * was not stored".
   *
   * @param log the log in words ("event log")
   * @param what what was written ("write", "report")
   */
  static StatusError logUnavailable(Throwable error, String log, String what) {
    Throwable cause = error instanceof java.util.concurrent.CompletionException c && c.getCause() != null ? c.getCause() : error;
    boolean maybeStored = !(cause instanceof EventAppender.Unavailable u) || u.maybeStored();
    return new StatusError(GrpcStatus.UNAVAILABLE, maybeStored
        ? "the " + log + " (Kafka) did not confirm the " + what + " in time; it may still be stored"
        : "the " + log + " (Kafka) is unavailable; the " + what + " was not stored");
  }

  /**
   * Per-address rate limit: wait for a token, or fail if the wait would pass the deadline or the
   * address is already a whole burst in debt (then the call is refused at once, deadline or not).
   */
  Future<Void> admit(Caller caller) {
    long maxWait = caller.deadlineMillis() > 0 ? TimeUnit.MILLISECONDS.toNanos(caller.deadlineMillis()) : Long.MAX_VALUE;
    long wait = limiter.reserve(caller.key(), maxWait);
    if (wait == RateLimiter.REFUSED) {
      return Future.failedFuture(new StatusError(GrpcStatus.RESOURCE_EXHAUSTED, "rate limit exceeds request timeout"));
    }
    if (wait == RateLimiter.REFUSED_IN_DEBT) {
      return Future.failedFuture(new StatusError(GrpcStatus.RESOURCE_EXHAUSTED, "rate limit: a whole burst of calls from this address"
          + " is already waiting for its turn (" + limiter.describe() + "); slow down and retry later"));
    }
    if (wait == 0) {
      return Future.succeededFuture();
    }
    Promise<Void> p = Promise.promise();
    vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)), id -> p.complete());
    return p.future();
  }
}
