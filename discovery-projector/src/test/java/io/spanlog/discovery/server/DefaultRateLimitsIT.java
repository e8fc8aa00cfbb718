package io.spanlog.discovery.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.spanlog.discovery.api.AffiliateUpdateRequest;
import io.spanlog.discovery.api.ClusterGrpcClient;
import io.spanlog.discovery.api.HelloRequest;
import io.spanlog.discovery.api.HelloResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The service with its default rate limit (15 calls per second per address, burst 60), as a
 * client sees it. Clients bind distinct 127.x source addresses, so the server sees two addresses.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DefaultRateLimitsIT {
  static final int BURST = Integer.parseInt(DiscoveryConfig.DEFAULT_RATE_BURST);
  static final double PER_SECOND = Double.parseDouble(DiscoveryConfig.DEFAULT_RATE_LIMIT);
  static final String IN_DEBT = "rate limit: a whole burst of calls from this address is already waiting for its turn"
      + " (15 per second, burst 60); slow down and retry later";

  static DiscoveryServer server;
  static Vertx vertx;

  @BeforeAll
  static void start() throws Exception {
    server = DiscoveryServer.start(TestServers.config(TestServers.newLog(), "rate")
        .withRateLimit(PER_SECOND, BURST));
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      vertx.close().await();
    }
    if (server != null) {
      server.close();
    }
  }

  record Outcome(GrpcStatus status, String message, long millis) {}

  static Future<Outcome> hello(ApiClient c, Duration deadline) {
    long sent = System.nanoTime();
    return c.callAsync(ClusterGrpcClient.Hello, HelloRequest.newBuilder().setClusterId("rate").setClientVersion("v1.12.0").build(),
            Map.of(), deadline)
        .map(r -> new Outcome(r.status(), r.message(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent)));
  }

  @Test
  void aBurstPassesTheNextWaitsItsTurnAClientFarInDebtIsRefusedAndOthersAreUnaffected() throws Exception {
    try (ApiClient a = ApiClient.from(vertx, "127.0.0.31", server.port());
        ApiClient b = ApiClient.from(vertx, "127.0.0.32", server.port())) {
      // 200 calls at once from one address, each with a 10 s deadline: a burst (60) passes at
      // once, the next burst waits for tokens (up to 60/15 = 4 s, within the deadline) and passes,
      // and the rest would put the address more than a burst in debt: refused at once. Tokens
      // refilled while the calls arrive let a few more through.
      int total = 200;
      List<Future<Outcome>> calls = new ArrayList<>();
      for (int i = 0; i < total; i++) {
        calls.add(hello(a, Duration.ofSeconds(10)));
      }
      // meanwhile: the address in debt cannot get a call through within 1 s; another address can
      Outcome aQuick = hello(a, Duration.ofSeconds(1)).await(30, TimeUnit.SECONDS);
      Outcome bQuick = hello(b, Duration.ofSeconds(1)).await(30, TimeUnit.SECONDS);
      // and a message too large for its method is refused for its size before it waits for a token
      var oversized = a.callAsync(ClusterGrpcClient.AffiliateUpdate, AffiliateUpdateRequest.newBuilder().setClusterId("rate")
          .setAffiliateId("big").setAffiliateData(ByteString.copyFrom(new byte[100_000])).build(), Map.of(), Duration.ofSeconds(10))
          .await(30, TimeUnit.SECONDS);

      List<Outcome> outcomes = new ArrayList<>();
      for (Future<Outcome> f : calls) {
        outcomes.add(f.await(30, TimeUnit.SECONDS));
      }
      Map<String, Integer> counts = new TreeMap<>();
      outcomes.forEach(o -> counts.merge(o.status() + " " + o.message(), 1, Integer::sum));
      long ok = outcomes.stream().filter(o -> o.status() == GrpcStatus.OK).count();
      long refused = outcomes.stream().filter(o -> o.status() == GrpcStatus.RESOURCE_EXHAUSTED).count();
      long lastOk = outcomes.stream().filter(o -> o.status() == GrpcStatus.OK).mapToLong(Outcome::millis).max().orElse(0);
      System.out.printf("default rate limit, %d calls at once: %s; last OK after %d ms%n", total, counts, lastOk);

      assertThat(ok + refused).as("every call answered OK or RESOURCE_EXHAUSTED: %s", counts).isEqualTo(total);
      assertThat(ok).as("a burst, then a burst more after waiting").isGreaterThanOrEqualTo(2L * BURST);
      assertThat(refused).as("calls beyond a burst in debt refused").isPositive();
      assertThat(outcomes.stream().filter(o -> o.status() == GrpcStatus.RESOURCE_EXHAUSTED).map(Outcome::message))
          .containsOnly(IN_DEBT);
      // the second burst waited for its tokens: the last of it 60/15 = 4 s, give or take refills
      assertThat(lastOk).as("the calls after the burst waited their turn").isGreaterThanOrEqualTo(2_000);

      assertThat(aQuick.status()).as("the address in debt, 1 s deadline: %s", aQuick).isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED);
      assertThat(bQuick.status()).as("another address, 1 s deadline: %s", bQuick).isEqualTo(GrpcStatus.OK);
      assertThat(oversized.status()).isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED);
      assertThat(oversized.message()).startsWith("request message of ").endsWith(" bytes is larger than this method accepts (65536 bytes)");
      HelloResponse seenAs = b.hello("rate", "v1.12.0", Map.of()).ok();
      assertThat(seenAs.getClientIp().toByteArray()).containsExactly(127, 0, 0, 32);
    }
  }
}
