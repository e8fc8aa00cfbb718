package io.spanlog.infra;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Where a KRaft node (broker and controller in one) listens and keeps its data, which controller
 * quorum it belongs to, and the server properties that follow from it. The default is a
 * single-node cluster; several nodes started with the same voters and cluster id form one cluster
 * (the 3-broker test cluster of infra's test-jar does).
 *
 * @param port the client (PLAINTEXT) port on 127.0.0.1
 * @param controllerPort the KRaft controller port on 127.0.0.1
 * @param dataDir the log directory; formatted on first start, reused afterwards
 * @param nodeId this node's id in the quorum
 * @param voters the controller quorum, Kafka's {@code controller.quorum.voters} syntax
 *     ({@code 1@127.0.0.1:9093,2@127.0.0.1:9095,...}); null or blank: this node alone
 * @param clusterId the cluster id the data folder is formatted with (every node of a cluster the
 *     same); empty: a random one, which a single node does not need to share
 * @param overrides server properties set last, over everything derived here (e.g. a test's
 *     shorter session timeouts)
 */
public record BrokerSettings(
    int port,
    int controllerPort,
    Path dataDir,
    int nodeId,
    String voters,
    Optional<String> clusterId,
    Map<String, String> overrides) {
  public static final int DEFAULT_PORT = 9092;
  public static final String HOST = "127.0.0.1";

  public BrokerSettings {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(clusterId, "clusterId");
    checkPort("port", port);
    checkPort("controller port", controllerPort);
    if (port == controllerPort) {
      throw new IllegalArgumentException(
          "the broker port and the controller port must differ (both " + port + ")");
    }
    if (nodeId < 0) {
      throw new IllegalArgumentException("the node id must be 0 or more, not " + nodeId);
    }
    if (voters == null || voters.isBlank()) {
      voters = nodeId + "@" + HOST + ":" + controllerPort;
    }
    List<Integer> ids = voterIds(voters);
    if (!ids.contains(nodeId)) {
      throw new IllegalArgumentException(
          "the voters " + voters + " do not include this node (id " + nodeId + ")");
    }
    dataDir = dataDir.toAbsolutePath().normalize();
    overrides = Map.copyOf(overrides);
  }

  /** A single node: id 1, the only voter, with the given ports and folder. */
  public BrokerSettings(int port, int controllerPort, Path dataDir) {
    this(port, controllerPort, dataDir, 1, null, Optional.empty(), Map.of());
  }

  /** The client port given, the controller port right above it. */
  public static BrokerSettings of(int port, Path dataDir) {
    return new BrokerSettings(port, port + 1, dataDir);
  }

  public String bootstrapServers() {
    return HOST + ":" + port;
  }

  /** How many nodes vote in the controller quorum, which is the cluster's size here. */
  public int quorumSize() {
    return voterIds(voters).size();
  }

  /** Replicas of the broker's internal topics (offsets, transactions): as many nodes as there are, at most 3. */
  public int internalReplication() {
    return Math.min(3, quorumSize());
  }

  /**
   * The broker's configuration. Internal topics get {@link #internalReplication()} replicas and
   * {@code min.insync.replicas} 2 where that is 3 (1 on a single node, which cannot replicate);
   * the log cleaner's dedupe buffer is cut from its 128 MB default, which otherwise dominates a
   * small broker's heap (live heap about 170 MB instead of about 50 MB).
   */
  public Properties serverProperties() {
    String replication = Integer.toString(internalReplication());
    String minInsync = internalReplication() >= 3 ? "2" : "1";
    Properties p = new Properties();
    p.setProperty("process.roles", "broker,controller");
    p.setProperty("node.id", Integer.toString(nodeId));
    p.setProperty(
        "listeners",
        "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
    p.setProperty("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
    p.setProperty("controller.listener.names", "CONTROLLER");
    p.setProperty("inter.broker.listener.name", "PLAINTEXT");
    p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    // Static voters (not --standalone): the controller port may change between restarts.
    p.setProperty("controller.quorum.voters", voters);
    p.setProperty("log.dirs", dataDir.toString());
    p.setProperty("offsets.topic.replication.factor", replication);
    p.setProperty("offsets.topic.num.partitions", "6");
    p.setProperty("transaction.state.log.replication.factor", replication);
    p.setProperty("transaction.state.log.min.isr", minInsync);
    p.setProperty("share.coordinator.state.topic.replication.factor", replication);
    p.setProperty("share.coordinator.state.topic.min.isr", minInsync);
    p.setProperty("min.insync.replicas", minInsync);
    p.setProperty("default.replication.factor", replication);
    p.setProperty("group.initial.rebalance.delay.ms", "0");
    p.setProperty("auto.create.topics.enable", "false");
    p.setProperty("log.cleaner.dedupe.buffer.size", "8388608");
    p.setProperty("num.partitions", "1");
    new TreeMap<>(overrides).forEach(p::setProperty);
    return p;
  }

  private static List<Integer> voterIds(String voters) {
    List<Integer> ids = new ArrayList<>();
    for (String voter : voters.split(",")) {
      String v = voter.strip();
      int at = v.indexOf('@');
      int colon = v.lastIndexOf(':');
      try {
        if (at < 1 || colon < at + 2 || colon == v.length() - 1) {
          throw new NumberFormatException();
        }
        int id = Integer.parseInt(v.substring(0, at));
        Integer.parseInt(v.substring(colon + 1));
        if (ids.contains(id)) {
          throw new IllegalArgumentException("the voters " + voters + " name node " + id + " twice");
        }
        ids.add(id);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "the voter '" + v + "' is not id@host:port (e.g. 1@127.0.0.1:9093)");
      }
    }
    return ids;
  }

  private static void checkPort(String what, int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(what + " must be between 1 and 65535, not " + port);
    }
  }
}
