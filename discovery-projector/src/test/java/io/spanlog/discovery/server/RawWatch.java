package io.spanlog.discovery.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.discovery.api.WatchRequest;
import io.spanlog.discovery.api.WatchResponse;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A Watch over plain HTTP/2 whose reader really stops reading: while paused it takes no bytes
 * from the connection, so HTTP/2 flow control stops the server. (The gRPC client's pause holds
 * back whole messages only; it keeps reading the bytes of one it has not completed.)
 */
final class RawWatch implements AutoCloseable {
  private final HttpClient http;
  private final Buffer received = Buffer.buffer();
  private final CompletableFuture<HttpClientResponse> response = new CompletableFuture<>();
  /** The stream's grpc-status, from its trailers, once it ends. */
  final CompletableFuture<String> status = new CompletableFuture<>();
  private volatile HttpClientRequest request;
  private int parsed;

  /** Opens the stream, reading nothing until {@link #resume()}. */
  RawWatch(Vertx vertx, int port, String cluster) {
    http = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
    byte[] message = WatchRequest.newBuilder().setClusterId(cluster).build().toByteArray();
    Buffer body = Buffer.buffer().appendByte((byte) 0).appendInt(message.length).appendBytes(message);
    http.request(HttpMethod.POST, port, "127.0.0.1", "/sidero.discovery.server.Cluster/Watch").onComplete(ar -> {
      if (ar.failed()) {
        response.completeExceptionally(ar.cause());
        return;
      }
      HttpClientRequest r = ar.result();
      request = r;
      r.putHeader("content-type", "application/grpc").putHeader("te", "trailers");
      r.response().onComplete(resp -> {
        if (resp.failed()) {
          response.completeExceptionally(resp.cause());
          return;
        }
        HttpClientResponse h = resp.result();
        h.pause();
        h.handler(this::append);
        h.endHandler(v -> status.complete(String.valueOf(h.getTrailer("grpc-status"))));
        h.exceptionHandler(status::completeExceptionally);
        response.complete(h);
      });
      r.end(body);
    });
  }

  private synchronized void append(Buffer b) {
    received.appendBuffer(b);
    notifyAll();
  }

  void resume() throws Exception {
    response.get(20, TimeUnit.SECONDS).resume();
  }

  /** The next gRPC message of the stream, waiting up to 20 s for its bytes. */
  synchronized WatchResponse next() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      if (received.length() >= parsed + 5) {
        assertThat(received.getByte(parsed)).as("uncompressed message").isZero();
        int length = received.getInt(parsed + 1);
        if (received.length() >= parsed + 5 + length) {
          WatchResponse m = WatchResponse.parseFrom(received.getBytes(parsed + 5, parsed + 5 + length));
          parsed += 5 + length;
          return m;
        }
      }
      long left = deadline - System.nanoTime();
      assertThat(left).as("a Watch message within 20 s (%d bytes so far)", received.length()).isPositive();
      wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
    }
  }

  @Override
  public void close() {
    if (request != null) {
      request.reset();
    }
    http.close();
  }
}
