package io.spanlog.agent.mesh;

import io.spanlog.discovery.log.DiscoveryTopics;
import io.spanlog.discovery.server.DiscoveryConfig;
import io.spanlog.discovery.server.DiscoveryServer;
import io.spanlog.infra.testing.KafkaFixture;
import io.spanlog.infra.testing.TestPki;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * The real discovery service (discovery-projector) on the shared test broker, on its own topics
 * and a free port. The rate limit is lifted: every in-process agent comes from 127.0.0.1.
 */
public final class RealDiscovery implements AutoCloseable {
  private final DiscoveryServer server;
  private final String topicPrefix;
  private final boolean tls;
  private final String host;
  private final String instanceId;
  private final int port;

  private RealDiscovery(DiscoveryServer server, String topicPrefix, boolean tls, String host, String instanceId) {
    this.server = server;
    this.topicPrefix = topicPrefix;
    this.tls = tls;
    this.host = host;
    this.instanceId = instanceId;
    this.port = server.port(); // kept: a closed server no longer knows it
  }

  public static RealDiscovery start() throws Exception {
    return start("127.0.0.1");
  }

  /** @param host the address to listen on, e.g. 0.0.0.0 for agents in network namespaces */
  public static RealDiscovery start(String host) throws Exception {
    return start(host, Optional.empty());
  }

  /** The service on a given address and port (several instances may share a port on different addresses). */
  public static RealDiscovery startOn(String host, int port) throws Exception {
    String prefix = "agent-it-" + UUID.randomUUID().toString().substring(0, 8);
    createAndAwaitTopics(prefix);
    return instance(prefix, prefix, host, port, Optional.empty());
  }

  /** The service serving TLS itself with the given certificates (its {@link #url()} is https://). */
  public static RealDiscovery startTls(TestPki certs) throws Exception {
    return start("127.0.0.1", Optional.of(certs));
  }

  private static RealDiscovery start(String host, Optional<TestPki> certs) throws Exception {
    String prefix = "agent-it-" + UUID.randomUUID().toString().substring(0, 8);
    createAndAwaitTopics(prefix);
    return instance(prefix, prefix, host, 0, certs);
  }

  private static RealDiscovery instance(String prefix, String instanceId, String host, int port,
      Optional<TestPki> certs) throws Exception {
    var config = DiscoveryConfig.defaults(KafkaFixture.shared().bootstrapServers(), instanceId)
        .withPorts(host, port, 0)
        .withTopics(prefix, 1)
        .withGc(Duration.ofSeconds(1), Duration.ofSeconds(5))
        .withRateLimit(1_000_000, 1_000_000)
        .withTls(certs.map(TestPki::serverCertificate), certs.map(TestPki::serverKey), true);
    return new RealDiscovery(DiscoveryServer.start(config), prefix, certs.isPresent(), host, instanceId);
  }

  /**
   * Another instance of the same service: the same log (topics), its own instance id, on
   * {@code host}:{@code port} (0 = a free port); plaintext.
   */
  public RealDiscovery another(String otherHost, int otherPort) throws Exception {
    return instance(topicPrefix, topicPrefix + "-" + UUID.randomUUID().toString().substring(0, 4), otherHost,
        otherPort, Optional.empty());
  }

  /** This instance started again, after {@link #close()}, on the same log, address and port. */
  public RealDiscovery restart() throws Exception {
    return instance(topicPrefix, instanceId, host, port(), Optional.empty());
  }

  /**
   * The service's projection reads the partition list of its events topic once at start; right
   * after the topic is created the broker may still answer with none, and the projection fails
   * ("not subscribed to any topics or assigned any partitions"; reported to discovery-projector).
   * So the topics are created here and the test waits until the broker lists their partitions.
   */
  private static void createAndAwaitTopics(String prefix) throws Exception {
    DiscoveryTopics topics = DiscoveryTopics.prefixed(prefix);
    topics.ensure(KafkaFixture.shared().bootstrapServers(), 1);
    try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(
            KafkaFixture.shared().consumerConfig(prefix + "-probe"),
            new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
            new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
      while (consumer.partitionsFor(topics.events(), Duration.ofSeconds(5)).isEmpty()
          || consumer.partitionsFor(topics.snapshots(), Duration.ofSeconds(5)).isEmpty()) {
        if (System.nanoTime() > end) {
          throw new IllegalStateException("topics " + topics + " have no partitions after 30 s");
        }
        Thread.sleep(50);
      }
    }
  }

  public int port() {
    return port;
  }

  public String url() {
    String address = host.equals("0.0.0.0") ? "127.0.0.1" : host;
    return (tls ? "https" : "http") + "://" + address + ":" + port() + "/";
  }

  public String topicPrefix() {
    return topicPrefix;
  }

  @Override
  public void close() {
    server.close();
  }
}
