package io.spanlog.infra;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Properties;

/**
 * Where a single-node KRaft broker listens and keeps its data, and the server properties that
 * follow from it.
 *
 * @param port the client (PLAINTEXT) port on 127.0.0.1
 * @param controllerPort the KRaft controller port on 127.0.0.1
 * @param dataDir the log directory; formatted on first start, reused afterwards
 */
public record BrokerSettings(int port, int controllerPort, Path dataDir) {
  public static final int DEFAULT_PORT = 9092;
  public static final String HOST = "127.0.0.1";

  public BrokerSettings {
    Objects.requireNonNull(dataDir, "dataDir");
    checkPort("port", port);
    checkPort("controller port", controllerPort);
    if (port == controllerPort) {
      throw new IllegalArgumentException(
          "the broker port and the controller port must differ (both " + port + ")");
    }
    dataDir = dataDir.toAbsolutePath().normalize();
  }

  /** The client port given, the controller port right above it. */
  public static BrokerSettings of(int port, Path dataDir) {
    return new BrokerSettings(port, port + 1, dataDir);
  }

  public String bootstrapServers() {
    return HOST + ":" + port;
  }

  /**
   * The broker's configuration. A single node cannot replicate, so every internal topic gets one
   * replica; the log cleaner's dedupe buffer is cut from its 128 MB default, which otherwise
   * dominates a small broker's heap (live heap about 170 MB instead of about 50 MB).
   */
  public Properties serverProperties() {
    Properties p = new Properties();
    p.setProperty("process.roles", "broker,controller");
    p.setProperty("node.id", "1");
    p.setProperty(
        "listeners",
        "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
    p.setProperty("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
    p.setProperty("controller.listener.names", "CONTROLLER");
    p.setProperty("inter.broker.listener.name", "PLAINTEXT");
    p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    // Static voters (not --standalone): the controller port may change between restarts.
    p.setProperty("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
    p.setProperty("log.dirs", dataDir.toString());
    p.setProperty("offsets.topic.replication.factor", "1");
    p.setProperty("offsets.topic.num.partitions", "6");
    p.setProperty("transaction.state.log.replication.factor", "1");
    p.setProperty("transaction.state.log.min.isr", "1");
    p.setProperty("share.coordinator.state.topic.replication.factor", "1");
    p.setProperty("share.coordinator.state.topic.min.isr", "1");
    p.setProperty("min.insync.replicas", "1");
    p.setProperty("default.replication.factor", "1");
    p.setProperty("group.initial.rebalance.delay.ms", "0");
    p.setProperty("auto.create.topics.enable", "false");
    p.setProperty("log.cleaner.dedupe.buffer.size", "8388608");
    p.setProperty("num.partitions", "1");
    return p;
  }

  private static void checkPort(String what, int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(what + " must be between 1 and 65535, not " + port);
    }
  }
}
