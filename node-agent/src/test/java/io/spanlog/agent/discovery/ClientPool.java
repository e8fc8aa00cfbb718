package io.spanlog.agent.discovery;

import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.agent.config.DiscoveryTarget;
import io.spanlog.agent.config.EndpointFilter;
import io.spanlog.net.IpText;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** The discovery clients of one test, on their own Vert.x, all stopped together. */
final class ClientPool implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final List<DiscoveryClient> clients = new CopyOnWriteArrayList<>();

  Vertx vertx() {
    return vertx;
  }

  /** A started client publishing as {@code affiliateId} in {@code cluster}. */
  DiscoveryClient start(DiscoveryTarget target, String cluster, String affiliateId, ClusterSecret secret) {
    return start(target, cluster, affiliateId, secret, DiscoveryRotation.Resolver.SYSTEM);
  }

  /** Same, resolving host names with {@code resolver}. */
  DiscoveryClient start(DiscoveryTarget target, String cluster, String affiliateId, ClusterSecret secret,
      DiscoveryRotation.Resolver resolver) {
    var settings = new DiscoveryClient.Settings(target, cluster, affiliateId, secret, DiscoveryClient.Settings.TALOS_TTL, "spanlog-test");
    var client = new DiscoveryClient(vertx, settings, view -> { }, java.time.Clock.systemUTC(), resolver);
    clients.add(client);
    client.start();
    return client;
  }

  /** A small local affiliate for {@code id}: one node address, a made-up key and KubeSpan address. */
  static LocalAffiliate local(String id, String address, DiscoveryClient client) {
    return LocalAffiliates.build(id, id, id, List.of(IpText.parse(address)), "PUB-" + id,
        IpText.parse("fd00::" + Math.abs(id.hashCode() % 9000)), List.of(), EndpointFilter.allowAll(), 51820,
        client.publicIp());
  }

  @Override
  public void close() throws Exception {
    for (DiscoveryClient c : clients) {
      c.stop().await(10, TimeUnit.SECONDS);
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
