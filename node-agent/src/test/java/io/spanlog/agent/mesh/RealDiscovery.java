package io.spanlog.agent.mesh;

import io.spanlog.discovery.DiscoveryConfig;
import io.spanlog.discovery.DiscoveryServer;
import io.spanlog.infra.testing.KafkaFixture;
import java.time.Duration;
import java.util.UUID;

/**
 * The real discovery service (discovery-projector) on the shared test broker, on its own topics
 * and a free port. The rate limit is lifted: every in-process agent comes from 127.0.0.1.
 */
public final class RealDiscovery implements AutoCloseable {
  private final DiscoveryServer server;
  private final String topicPrefix;

  private RealDiscovery(DiscoveryServer server, String topicPrefix) {
    this.server = server;
    this.topicPrefix = topicPrefix;
  }

  public static RealDiscovery start() throws Exception {
    return start("127.0.0.1");
  }

  /** @param host the address to listen on, e.g. 0.0.0.0 for agents in network namespaces */
  public static RealDiscovery start(String host) throws Exception {
    String prefix = "agent-it-" + UUID.randomUUID().toString().substring(0, 8);
    var config = DiscoveryConfig.defaults(KafkaFixture.shared().bootstrapServers(), prefix)
        .withPorts(host, 0, 0)
        .withTopics(prefix, 1)
        .withGc(Duration.ofSeconds(1), Duration.ofSeconds(5))
        .withRateLimit(1_000_000, 1_000_000);
    return new RealDiscovery(DiscoveryServer.start(config), prefix);
  }

  public int port() {
    return server.port();
  }

  public String url() {
    return "http://127.0.0.1:" + port() + "/";
  }

  public String topicPrefix() {
    return topicPrefix;
  }

  @Override
  public void close() {
    server.close();
  }
}
