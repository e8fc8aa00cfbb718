package io.spanlog.discovery.server;

/**
 * A discovery instance alone in its JVM, for tests that kill it without warning: settings of
 * {@link TestServers#config(String, String, String)}, a free port, and one line on stdout once it serves.
 *
 * <p>Arguments: bootstrap servers, topic prefix (the log), instance id.
 */
public final class DiscoveryChild {
  static final String READY_PREFIX = "discovery-child serving on port ";

  private DiscoveryChild() {}

  public static void main(String[] args) throws Exception {
    DiscoveryServer server = DiscoveryServer.start(TestServers.config(args[0], args[1], args[2]));
    System.out.println(READY_PREFIX + server.port());
    System.out.flush();
    Thread.currentThread().join(); // until killed
  }
}
