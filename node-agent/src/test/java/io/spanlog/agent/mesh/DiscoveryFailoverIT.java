package io.spanlog.agent.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.agent.NodeAgent;
import io.spanlog.agent.api.StatusJson;
import io.spanlog.agent.api.StatusViews;
import io.spanlog.agent.config.DiscoveryTarget;
import io.spanlog.agent.config.EndpointFilter;
import io.spanlog.agent.discovery.DiscoveryClient;
import io.spanlog.agent.discovery.DiscoveryRotation;
import io.spanlog.agent.discovery.LocalAffiliates;
import io.spanlog.agent.discovery.RefreshPlan;
import io.spanlog.discovery.api.Affiliate;
import io.spanlog.discovery.api.ClusterGrpcClient;
import io.spanlog.discovery.api.ListRequest;
import io.spanlog.infra.testing.FreePorts;
import io.spanlog.net.IpText;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent that lists several instances of the discovery service (real instances on one log, on
 * the real broker) moves to another when the one it watches dies, takes a fresh snapshot there
 * and publishes there.
 */
class DiscoveryFailoverIT {
  private static final String TIMINGS =
      "{ peerDownInterval: 3s, endpointConnectionTimeout: 1s, reconcileInterval: 300ms }";
  /** A generous bound, so a broken failover fails instead of hanging; the figure is printed. */
  private static final Duration MOVE_BOUND = Duration.ofSeconds(10);

  @TempDir Path state;
  private Vertx vertx;
  private final List<AutoCloseable> open = new ArrayList<>();
  private final List<NodeAgent> agents = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    agents.forEach(NodeAgent::stop);
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private <T extends AutoCloseable> T keep(T c) {
    open.add(c);
    return c;
  }

  private NodeAgent agent(SimulatedMesh mesh, int i, int api, RealDiscovery... instances) {
    List<String> urls = java.util.Arrays.stream(instances).map(RealDiscovery::url).toList();
    NodeAgent agent = mesh.agent(mesh.config(i, api, urls), i);
    agents.add(agent);
    agent.start();
    return agent;
  }

  @Test
  void anAgentWhoseInstanceDiesMovesToTheOtherTakesAFreshSnapshotAndPublishesThere() throws Exception {
    RealDiscovery a = keep(RealDiscovery.start());
    RealDiscovery b = keep(a.another("127.0.0.1", 0));
    var mesh = new SimulatedMesh(vertx, a.url(), state, TIMINGS);
    int api = FreePorts.next();
    NodeAgent n1 = agent(mesh, 1, api, a, b);
    NodeAgent n2 = agent(mesh, 2, 0, b);
    NodeAgent n3 = agent(mesh, 3, 0, b);
    await("node 1 watches A and has nodes 2 and 3", () -> watching(n1, a) && specKeys(n1).equals(keys(n2, n3)));
    assertThat(identity(api).discovery().target()).isEqualTo(a.url());

    // 1. A dies while B lives: node 1 moves to B at once; node 4 joins through B meanwhile
    long killed = System.nanoTime();
    a.close();
    NodeAgent n4 = agent(mesh, 4, 0, b);
    await("node 1 watches B", () -> watching(n1, b), MOVE_BOUND);
    long moved = System.nanoTime() - killed;
    System.out.printf("discovery failover: node 1 watched the other instance %d ms after its own was closed%n",
        TimeUnit.NANOSECONDS.toMillis(moved));
    await("node 1 has node 4, which joined through B while it moved", () -> specKeys(n1).equals(keys(n2, n3, n4)));
    StatusViews.Identity seen = identity(api);
    assertThat(seen.discovery().target()).as("the status API names the endpoint in use").isEqualTo(b.url());
    assertThat(seen.discovery().state()).isEqualTo("watching");

    // 2. B dies too; while node 1 watches nothing, the log changes through a third instance it
    //    does not list: node 3 leaves, node 5 joins, and node 1's own affiliate is deleted (as
    //    an expiry would). Only a fresh snapshot shows node 1 the leave, and only node 1's
    //    publishing to the instance it then uses brings its affiliate back.
    b.close();
    await("node 1 says discovery is unreachable", () -> !n1.discoveryReachability().reachable());
    assertThat(identity(api).discovery().state()).isIn("failing", "connecting");
    String clusterId = n1.config().clusterId();
    String n3Id = n3.nodeId();
    n3.stop();
    agents.remove(n3);
    RealDiscovery c = keep(b.another("127.0.0.1", 0));
    NodeAgent n5 = agent(mesh, 5, 0, c);
    delete(c, clusterId, n3Id);
    delete(c, clusterId, n1.nodeId());
    await("the log, read through C: node 5 in, nodes 1 and 3 out", () -> {
      Set<String> ids = listed(c, clusterId);
      return ids.contains(n5.nodeId()) && !ids.contains(n3Id) && !ids.contains(n1.nodeId());
    });
    assertThat(specKeys(n1)).as("node 1 still has its last view").contains(n3.identity().publicKey());
    c.close();
    RealDiscovery b2 = keep(b.restart());
    await("node 1 watches B again", () -> watching(n1, b2));
    await("node 1's fresh view: nodes 2, 4 and 5, node 3 gone", () -> specKeys(n1).equals(keys(n2, n4, n5)));
    await("node 1 published itself again on B", () -> listed(b2, clusterId).contains(n1.nodeId()));
    await("node 2 has node 1 again", () -> specKeys(n2).contains(n1.identity().publicKey()));
  }

  @Test
  void oneNameWithTwoAddressesIsTriedAddressByAddress() throws Exception {
    int port = FreePorts.next();
    RealDiscovery first = keep(RealDiscovery.startOn("127.0.0.1", port));
    RealDiscovery second = keep(first.another("127.0.0.2", port));
    InetAddress one = IpText.parse("127.0.0.1");
    InetAddress two = IpText.parse("127.0.0.2");
    DiscoveryRotation.Resolver dns = host -> host.equals("discovery.test") ? List.of(one, two)
        : DiscoveryRotation.Resolver.SYSTEM.resolve(host);
    String cluster = "cluster-" + UUID.randomUUID();
    ClusterSecret secret = ClusterSecret.fromBytes(new byte[32]);
    DiscoveryClient me = client(DiscoveryTarget.parse("http://discovery.test:" + port + "/"), cluster, "me", secret,
        dns);
    DiscoveryClient other = client(DiscoveryTarget.parse(second.url()), cluster, "other", secret,
        DiscoveryRotation.Resolver.SYSTEM);
    await("me watching the name's first address", () -> me.reachability().reachable()
        && me.inUse().address().equals(java.util.Optional.of(one)));
    me.publish(local("me", "10.0.0.1", me));

    first.close();
    other.publish(local("other", "10.0.0.2", other));
    await("me watching the name's second address", () -> me.reachability().reachable()
        && me.inUse().address().equals(java.util.Optional.of(two)), MOVE_BOUND);
    assertThat(me.reachability().detail()).contains("discovery.test").contains("127.0.0.2");
    await("me sees the affiliate written on the second address", () -> me.view().get("other").isPresent());
    await("other sees me (published again there)", () -> other.view().get("me").isPresent());
  }

  private DiscoveryClient client(DiscoveryTarget target, String cluster, String id, ClusterSecret secret,
      DiscoveryRotation.Resolver resolver) {
    var settings = new DiscoveryClient.Settings(target, cluster, id, secret, DiscoveryClient.Settings.TALOS_TTL, "test");
    DiscoveryClient client = new DiscoveryClient(vertx, settings, view -> { }, Clock.systemUTC(), resolver);
    open.add(() -> client.stop().await(10, TimeUnit.SECONDS));
    client.start();
    return client;
  }

  private static io.spanlog.agent.discovery.LocalAffiliate local(String id, String address, DiscoveryClient client) {
    return LocalAffiliates.build(id, id, id, List.of(IpText.parse(address)), "PUB-" + id,
        IpText.parse("fd00::" + Math.abs(id.hashCode() % 9000)), List.of(), EndpointFilter.allowAll(), 51820,
        client.publicIp());
  }

  private static boolean watching(NodeAgent agent, RealDiscovery instance) {
    return agent.discoveryReachability().reachable() && agent.discoveryReachability().detail().contains(instance.url());
  }

  private static Set<String> keys(NodeAgent... nodes) {
    return java.util.Arrays.stream(nodes).map(n -> n.identity().publicKey()).collect(Collectors.toSet());
  }

  private static Set<String> specKeys(NodeAgent a) {
    return a.state().specs().peers().stream().map(p -> p.publicKey()).collect(Collectors.toSet());
  }

  private StatusViews.Identity identity(int api) throws Exception {
    var reply = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api + "/v1/identity")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    return StatusJson.mapper().readValue(reply.body(), StatusViews.Identity.class);
  }

  private ClusterGrpcClient stub(GrpcClient grpc, RealDiscovery instance) {
    return ClusterGrpcClient.create(grpc, SocketAddress.inetSocketAddress(instance.port(), "127.0.0.1"));
  }

  private GrpcClient grpc() {
    return GrpcClient.client(vertx, new GrpcClientOptions(),
        new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
  }

  private void delete(RealDiscovery instance, String cluster, String id) throws Exception {
    GrpcClient grpc = grpc();
    try {
      stub(grpc, instance).affiliateDelete(RefreshPlan.delete(cluster, id)).await(10, TimeUnit.SECONDS);
    } finally {
      grpc.close();
    }
  }

  private Set<String> listed(RealDiscovery instance, String cluster) {
    GrpcClient grpc = grpc();
    try {
      return stub(grpc, instance).list(ListRequest.newBuilder().setClusterId(cluster).build())
          .await(10, TimeUnit.SECONDS).getAffiliatesList().stream().map(Affiliate::getId).collect(Collectors.toSet());
    } catch (Exception e) {
      throw new AssertionError("List failed: " + e, e);
    } finally {
      grpc.close();
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    await(what, condition, Duration.ofSeconds(30));
  }

  private static void await(String what, BooleanSupplier condition, Duration bound) throws InterruptedException {
    long end = System.nanoTime() + bound.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out after " + bound.toSeconds() + " s waiting for " + what);
      }
      Thread.sleep(20);
    }
  }
}
