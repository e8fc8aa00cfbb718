package io.spanlog.discovery.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.discovery.api.WatchRequest;
import io.spanlog.discovery.api.WatchResponse;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.common.GrpcStatus;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** One open Watch stream seen from the client: messages as they arrive, and how it ended. */
final class Watcher {
  record End(GrpcStatus status, String message) {}

  final BlockingQueue<WatchResponse> messages = new LinkedBlockingQueue<>();
  final CompletableFuture<End> end = new CompletableFuture<>();
  private volatile GrpcClientRequest<WatchRequest, WatchResponse> request;

  void request(GrpcClientRequest<WatchRequest, WatchResponse> r) {
    request = r;
  }

  void received(WatchResponse m) {
    messages.add(m);
  }

  void ended(GrpcStatus status, String message) {
    end.complete(new End(status, message));
  }

  WatchResponse next() throws InterruptedException {
    WatchResponse m = messages.poll(20, TimeUnit.SECONDS);
    assertThat(m).as("a Watch message within 20 s").isNotNull();
    return m;
  }

  void assertNothingWithin(long millis) throws InterruptedException {
    assertThat(messages.poll(millis, TimeUnit.MILLISECONDS)).as("no further Watch message").isNull();
  }

  End awaitEnd() throws Exception {
    return end.get(20, TimeUnit.SECONDS);
  }

  /** Stops reading: HTTP/2 flow control then pushes back on the server. */
  void pause() {
    response.pause();
  }

  void resume() {
    response.resume();
  }

  void response(io.vertx.core.streams.ReadStream<WatchResponse> r) {
    response = r;
  }

  private volatile io.vertx.core.streams.ReadStream<WatchResponse> response;

  void cancel() {
    if (request != null) {
      request.cancel();
    }
  }
}
