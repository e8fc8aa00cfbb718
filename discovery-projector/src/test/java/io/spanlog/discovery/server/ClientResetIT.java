package io.spanlog.discovery.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.discovery.api.AffiliateUpdateRequest;
import io.spanlog.discovery.api.ClusterGrpcClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A client that resets its unary call before the answer: the server notices and answers nothing. */
class ClientResetIT {
  @Test
  void aResetUnaryCallIsCountedCancelledAndTheServerGoesOn() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (DiscoveryServer server = DiscoveryServer.start(TestServers.config(TestServers.newLog(), "reset"));
        ApiClient api = new ApiClient(vertx, server.port())) {
      GrpcClient raw = GrpcClient.client(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
      SocketAddress address = SocketAddress.inetSocketAddress(server.port(), "127.0.0.1");
      for (int i = 0; i < 20; i++) {
        var req = raw.request(address, ClusterGrpcClient.AffiliateUpdate).await(10, TimeUnit.SECONDS);
        // the append to Kafka takes milliseconds: the reset arrives while the write is in flight
        req.end(AffiliateUpdateRequest.newBuilder().setClusterId("reset").setAffiliateId("n" + i)
            .setAffiliateData(com.google.protobuf.ByteString.copyFromUtf8("d"))
            .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(600)).build());
        req.cancel();
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (!server.metricsText().contains("grpc_method=\"AffiliateUpdate\"") || cancelled(server.metricsText()) < 1) {
        assertThat(System.nanoTime()).as("no reset call counted CANCELLED; metrics:\n" + server.metricsText()).isLessThan(deadline);
        Thread.sleep(50);
      }
      // the writes themselves were accepted before the resets: the log has them, and the server still answers
      api.update("reset", "after", "d", Duration.ofMinutes(10)).ok();
      assertThat(api.list("reset").ok().getAffiliatesCount()).isGreaterThanOrEqualTo(1);
      raw.close().await(10, TimeUnit.SECONDS);
    } finally {
      vertx.close().await();
    }
  }

  private static double cancelled(String metrics) {
    return metrics.lines()
        .filter(l -> l.startsWith("grpc_server_handled_total{") && l.contains("grpc_code=\"CANCELLED\"")
            && l.contains("grpc_method=\"AffiliateUpdate\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }
}
