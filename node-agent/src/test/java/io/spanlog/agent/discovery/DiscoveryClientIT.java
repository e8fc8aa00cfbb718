package io.spanlog.agent.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.agent.config.DiscoveryTarget;
import io.spanlog.agent.mesh.RealDiscovery;
import io.spanlog.agent.status.HarvestedEndpoint;
import io.spanlog.net.Endpoint;
import io.spanlog.net.IpText;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The discovery client against the real discovery service (discovery-projector) on the real broker. */
class DiscoveryClientIT {
  private static RealDiscovery server;
  private final ClusterSecret secret = ClusterSecret.fromBytes(UUID.randomUUID().toString().substring(0, 32).getBytes());
  private final String cluster = "cluster-" + UUID.randomUUID();
  private ClientPool pool;

  @BeforeAll
  static void startServer() throws Exception {
    server = RealDiscovery.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void start() {
    pool = new ClientPool();
  }

  @AfterEach
  void stop() throws Exception {
    pool.close();
  }

  private DiscoveryClient client(String id, ClusterSecret key) {
    return pool.start(DiscoveryTarget.parse(server.url()), cluster, id, key);
  }

  @Test
  void publishesWatchesHarvestsSkipsForeignDataAndLeaves() throws Exception {
    DiscoveryClient me = client("me", secret);
    DiscoveryClient peer = client("peer", secret);
    DiscoveryClient observer = client("observer", secret);
    await("watching", () -> me.reachability().reachable() && peer.reachability().reachable()
        && observer.reachability().reachable());
    assertThat(me.publicIp().map(IpText::format)).contains("127.0.0.1");

    me.publish(ClientPool.local("me", "10.0.0.1", me));
    peer.publish(ClientPool.local("peer", "10.0.0.2", peer));
    await("each sees the other", () -> me.view().get("peer").isPresent() && peer.view().get("me").isPresent());
    var seen = me.view().get("peer").orElseThrow();
    assertThat(seen.affiliate().kubeSpan().orElseThrow().publicKey()).isEqualTo("PUB-peer");
    // loopback (the Hello address here) is never an endpoint: only the node address
    assertThat(seen.endpoints()).containsExactly(Endpoint.parse("10.0.0.2:51820"));
    assertThat(me.view().get("me")).isEmpty();

    // a node of another cluster secret in the same cluster id: skipped, never fatal
    DiscoveryClient stranger = client("stranger", ClusterSecret.fromBytes(new byte[32]));
    await("stranger watching", () -> stranger.reachability().reachable());
    stranger.publish(ClientPool.local("stranger", "10.0.0.9", stranger));
    await("the stranger's affiliate on the server", () -> listedIds().contains("stranger"));
    Thread.sleep(300); // its Watch message has reached the observer by now (same server, same stream order)
    assertThat(observer.view().get("stranger")).isEmpty();
    assertThat(observer.view().get("peer")).isPresent();
    assertThat(observer.reachability().reachable()).isTrue();

    // harvested: an endpoint this node found working for the peer, published for the peer's id
    me.publishHarvested(List.of(new HarvestedEndpoint("PUB-peer", "peer", Endpoint.parse("192.0.2.7:40000"))));
    await("the harvested endpoint on the peer's affiliate", () -> observer.view().get("peer")
        .map(a -> a.endpoints().contains(Endpoint.parse("192.0.2.7:40000"))).orElse(false));

    // a restarted client starts from a fresh snapshot
    DiscoveryClient late = client("late", secret);
    await("snapshot", () -> late.view().get("me").isPresent() && late.view().get("peer").isPresent());

    me.leave().await(10, TimeUnit.SECONDS);
    await("me gone", () -> observer.view().get("me").isEmpty() && peer.view().get("me").isEmpty());
    assertThat(observer.view().get("peer")).isPresent();
  }

  private java.util.Set<String> listedIds() {
    var grpc = io.vertx.grpc.client.GrpcClient.client(pool.vertx(), new io.vertx.grpc.client.GrpcClientOptions(),
        new io.vertx.core.http.HttpClientOptions().setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2)
            .setHttp2ClearTextUpgrade(false));
    try {
      return io.spanlog.discovery.api.ClusterGrpcClient.create(grpc,
              io.vertx.core.net.SocketAddress.inetSocketAddress(server.port(), "127.0.0.1"))
          .list(io.spanlog.discovery.api.ListRequest.newBuilder().setClusterId(cluster).build())
          .await(10, TimeUnit.SECONDS)
          .getAffiliatesList().stream().map(io.spanlog.discovery.api.Affiliate::getId)
          .collect(java.util.stream.Collectors.toSet());
    } catch (Exception e) {
      throw new AssertionError("List failed: " + e, e);
    } finally {
      grpc.close();
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }
}
