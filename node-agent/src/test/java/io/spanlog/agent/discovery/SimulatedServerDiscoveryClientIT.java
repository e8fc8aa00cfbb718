package io.spanlog.agent.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.spanlog.affiliate.AffiliateCrypto;
import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.affiliate.DecodedAffiliate;
import io.spanlog.agent.config.DiscoveryTarget;
import io.spanlog.agent.config.EndpointFilter;
import io.spanlog.discovery.api.Affiliate;
import io.spanlog.net.Endpoint;
import io.spanlog.net.IpText;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The discovery client over real gRPC sockets against {@link SimulatedDiscoveryServer}, for what
 * the real service cannot be made to do on demand: end a Watch with ABORTED, redirect, be
 * unreachable. Everything else runs against the real service in {@link DiscoveryClientIT}.
 */
class SimulatedServerDiscoveryClientIT {
  private static final ClusterSecret SECRET = ClusterSecret.fromBytes(new byte[32]);
  private final AffiliateCrypto crypto = new AffiliateCrypto(SECRET);
  private Vertx vertx;
  private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private SimulatedDiscoveryServer server(Optional<String> redirect) throws Exception {
    var s = new SimulatedDiscoveryServer(vertx, new byte[] {(byte) 203, 0, 113, 50}, redirect);
    closeables.add(s);
    return s;
  }

  private DiscoveryClient client(int port, List<ClusterView> changes) {
    var settings = new DiscoveryClient.Settings(DiscoveryTarget.parse("http://127.0.0.1:" + port),
        "cluster-1", "me", SECRET, DiscoveryClient.Settings.TALOS_TTL, "spanlog-test");
    var client = new DiscoveryClient(vertx, settings, changes::add);
    closeables.add(() -> client.stop().await(10, TimeUnit.SECONDS));
    return client;
  }

  private Affiliate peer(String id) {
    var data = new DecodedAffiliate(id, List.of(IpText.parse("10.0.0.7")), id, id, "worker", "t", Optional.empty());
    return Affiliate.newBuilder().setId(id).setData(ByteString.copyFrom(crypto.encryptAffiliate(data)))
        .addEndpoints(ByteString.copyFrom(crypto.encryptEndpoint(Endpoint.parse("10.0.0.7:51820")))).build();
  }

  private LocalAffiliate local(DiscoveryClient client) {
    return LocalAffiliates.build("me", "me", "me", List.of(IpText.parse("10.0.0.1")), "PUB",
        IpText.parse("fd00::1"), List.of(), EndpointFilter.allowAll(), 51820, client.publicIp());
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

  @Test
  void watchesPublishesReconnectsAfterAbortAndLeaves() throws Exception {
    var server = server(Optional.empty());
    server.put(peer("peer-1"));
    var changes = new CopyOnWriteArrayList<ClusterView>();
    var client = client(server.port(), changes);
    client.start();

    await("the snapshot", () -> client.view().get("peer-1").isPresent());
    assertThat(client.reachability().reachable()).isTrue();
    assertThat(client.publicIp().map(IpText::format)).contains("203.0.113.50");
    assertThat(client.view().get("peer-1").orElseThrow().endpoints()).containsExactly(Endpoint.parse("10.0.0.7:51820"));

    client.publish(local(client));
    await("own affiliate on the server", () -> server.affiliates.containsKey("me"));
    var stored = crypto.decryptAffiliate(server.affiliates.get("me").getData().toByteArray()).asOptional().orElseThrow();
    assertThat(stored.nodeId()).isEqualTo("me");
    assertThat(server.affiliates.get("me").getEndpointsList()).hasSize(2); // own address + public IP
    int updatesAfterPublish = server.updates.get();
    client.publish(local(client)); // identical plaintext: not sent again
    Thread.sleep(300);
    assertThat(server.updates.get()).isEqualTo(updatesAfterPublish);
    assertThat(client.view().get("me")).isEmpty();

    // lost update: the stream ends ABORTED; a change made meanwhile arrives in the fresh snapshot
    server.abortWatches();
    server.affiliates.put("peer-2", peer("peer-2"));
    await("a fresh snapshot", () -> client.view().get("peer-2").isPresent());
    assertThat(server.watches.get()).isGreaterThanOrEqualTo(2);
    assertThat(server.hellos.get()).isGreaterThanOrEqualTo(2);
    assertThat(changes).isNotEmpty();

    client.leave().await(10, TimeUnit.SECONDS);
    assertThat(server.affiliates).doesNotContainKey("me");
  }

  @Test
  void followsARedirect() throws Exception {
    var real = server(Optional.empty());
    real.put(peer("peer-1"));
    var redirecting = server(Optional.of("127.0.0.1:" + real.port()));
    var client = client(redirecting.port(), new CopyOnWriteArrayList<>());
    client.start();
    await("the view from the redirect target", () -> client.view().get("peer-1").isPresent());
    assertThat(redirecting.watches.get()).isZero();
    assertThat(client.reachability().detail()).contains(String.valueOf(real.port()));
  }

  @Test
  void saysPlainlyWhenTheServiceIsUnreachable() throws Exception {
    var server = server(Optional.empty());
    int port = server.port();
    server.close();
    closeables.remove(server);
    var client = client(port, new CopyOnWriteArrayList<>());
    client.start();
    await("a failing reachability", () -> client.reachability().state() == Reachability.State.FAILING);
    assertThat(client.reachability().detail()).startsWith("Hello to http://127.0.0.1:" + port);
  }
}
