package io.spanlog.discovery.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.discovery.api.ClusterGrpcClient;
import io.spanlog.discovery.api.HelloRequest;
import io.spanlog.discovery.rpc.AddressCaps;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One client address cannot hold more than its share: concurrent calls (Watch streams included)
 * and open connections are capped per address, and another address is unaffected. Clients bind
 * distinct 127.x source addresses (the whole 127/8 is loopback on Linux), so the server sees
 * several clients on one machine.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class AddressCapsIT {
  static final int STREAMS = 4;
  static final int CONNECTIONS = 2;

  static DiscoveryServer server;
  static Vertx vertx;
  static final List<ApiClient> clients = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    server = DiscoveryServer.start(TestServers.config(TestServers.newLog(), "caps")
        .withAddressLimits(new AddressCaps.Limits(STREAMS, CONNECTIONS, 256)));
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    clients.forEach(ApiClient::close);
    if (vertx != null) {
      vertx.close().await();
    }
    if (server != null) {
      server.close();
    }
  }

  static ApiClient from(String local) {
    ApiClient c = ApiClient.from(vertx, local, server.port());
    clients.add(c);
    return c;
  }

  static void eventually(String what, BooleanSupplier check) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!check.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what + " within 30 s").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  @Test
  void anAddressHoldsAtMostItsConcurrentCallsAndAnotherIsUnaffected() throws Exception {
    ApiClient a = from("127.0.0.21");
    List<Watcher> watches = new ArrayList<>();
    for (int i = 0; i < STREAMS; i++) {
      Watcher w = a.watch("caps-" + i);
      w.next(); // its snapshot: the stream is open and counted
      watches.add(w);
    }
    Watcher refused = a.watch("caps-extra");
    Watcher.End end = refused.awaitEnd();
    assertThat(end.status()).isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED);
    assertThat(end.message()).isEqualTo("too many concurrent calls from this address (at most " + STREAMS
        + ", Watch streams included); end some before opening more");
    assertThat(a.hello("caps", "v1.12.0", Map.of()).status()).isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED);

    ApiClient b = from("127.0.0.22");
    b.hello("caps", "v1.12.0", Map.of()).ok();
    Watcher other = b.watch("caps-0");
    other.next();

    // a stream that ends gives its place back
    watches.get(0).cancel();
    eventually("a call admitted once a Watch ended", () -> a.hello("caps", "v1.12.0", Map.of()).status() == GrpcStatus.OK);
    assertThat(server.metricsText()).contains("spanlog_discovery_refused_total{reason=\"streams_per_address\"}");
    other.cancel();
    watches.forEach(Watcher::cancel);
  }

  @Test
  void anAddressHoldsAtMostItsConnectionsAndTheNextIsClosed() throws Exception {
    List<ApiClient> held = new ArrayList<>();
    for (int i = 0; i < CONNECTIONS; i++) {
      ApiClient c = from("127.0.0.23"); // each client has its own connection
      c.hello("caps", "v1.12.0", Map.of()).ok();
      held.add(c);
    }
    ApiClient third = from("127.0.0.23");
    Throwable failure = third.callAsync(ClusterGrpcClient.Hello, HelloRequest.newBuilder().setClusterId("caps").build(), Map.of(), Duration.ofSeconds(10))
        .map(r -> (Throwable) null).otherwise(e -> e).await(30, TimeUnit.SECONDS);
    assertThat(failure).as("a call on a connection over the cap fails: the server closed the connection").isNotNull();
    assertThat(server.metricsText()).contains("spanlog_discovery_refused_total{reason=\"connections_per_address\"}");

    from("127.0.0.24").hello("caps", "v1.12.0", Map.of()).ok();

    held.get(0).close(); // its connection closes and gives its place back
    eventually("a new connection admitted once one closed", () -> {
      ApiClient retry = from("127.0.0.23");
      try {
        return retry.callAsync(ClusterGrpcClient.Hello, HelloRequest.newBuilder().setClusterId("caps").build(), Map.of(), Duration.ofSeconds(10))
            .map(r -> r.status() == GrpcStatus.OK).otherwise(false).await(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        return false;
      }
    });
  }
}
