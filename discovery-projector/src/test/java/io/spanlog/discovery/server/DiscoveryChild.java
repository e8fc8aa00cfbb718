package io.spanlog.discovery.server;

import java.time.Duration;

/**
 * A discovery instance alone in its JVM, for tests that kill it without warning: settings as
 * {@link TestServers#config}, a free port, and one line on stdout once it serves.
 *
 * <p>Arguments: bootstrap servers, topic prefix (the log), instance id.
 */
public final class DiscoveryChild {
  static final String READY_PREFIX = "discovery-child serving on port ";

  private DiscoveryChild() {}

  public static void main(String[] args) throws Exception {
    DiscoveryConfig config = DiscoveryConfig.defaults(args[0], args[2])
        .withPorts("127.0.0.1", 0, -1)
        .withTopics(args[1], 3)
        .withGc(Duration.ofMillis(300), Duration.ofSeconds(1))
        .withRateLimit(100_000, 100_000);
    DiscoveryServer server = DiscoveryServer.start(config);
    System.out.println(READY_PREFIX + server.port());
    System.out.flush();
    Thread.currentThread().join(); // until killed
  }
}
