package io.spanlog.infra.testing;

import io.spanlog.infra.BrokerSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real multi-broker KRaft cluster on this machine: one broker JVM per node ({@link
 * KafkaChildProcess}), each broker and controller in one, all of them voters, on free loopback
 * ports with data in a temporary folder. Internal topics get {@code min(3, nodes)} replicas and
 * {@code min.insync.replicas} 2 with three nodes. For tests that kill a broker ({@link
 * KafkaChildProcess#kill()}) and watch the cluster carry on.
 *
 * <pre>
 * try (KafkaCluster cluster = KafkaCluster.start(3, "320m", Map.of("broker.session.timeout.ms", "3000"))) {
 *   String bootstrap = cluster.bootstrapServers();
 *   cluster.node(2).kill();
 * }
 * </pre>
 */
public final class KafkaCluster implements AutoCloseable {
  /** Generous: three broker JVMs start at once, and on a busy 2-core machine that takes a while. */
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

  private final List<KafkaChildProcess> nodes;
  private final Path dataDir;

  private KafkaCluster(List<KafkaChildProcess> nodes, Path dataDir) {
    this.nodes = List.copyOf(nodes);
    this.dataDir = dataDir;
  }

  /**
   * Starts {@code size} nodes (ids 1..size) together and returns once every one is ready.
   *
   * @param maxHeap each broker JVM's {@code -Xmx}, e.g. "320m"
   * @param overrides server properties for every node (e.g. shorter session timeouts)
   */
  public static KafkaCluster start(int size, String maxHeap, Map<String, String> overrides) {
    Path dataDir = TempDirs.create("spanlog-test-cluster-");
    List<int[]> ports = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      ports.add(FreePorts.pair());
    }
    String voters = "";
    for (int i = 0; i < size; i++) {
      voters += (i == 0 ? "" : ",") + (i + 1) + "@" + BrokerSettings.HOST + ":" + ports.get(i)[1];
    }
    String clusterId = Uuid.randomUuid().toString();
    List<KafkaChildProcess> started = new ArrayList<>();
    try {
      // all launched before any is awaited: a node is ready only once the quorum has formed
      for (int i = 0; i < size; i++) {
        BrokerSettings settings = new BrokerSettings(ports.get(i)[0], ports.get(i)[1],
            dataDir.resolve("node-" + (i + 1)), i + 1, voters, Optional.of(clusterId), overrides);
        started.add(KafkaChildProcess.launch(settings, maxHeap));
      }
      started.forEach(node -> node.awaitReady(READY_TIMEOUT));
      awaitBrokers(started.stream().map(KafkaChildProcess::bootstrapServers).collect(Collectors.joining(",")),
          size, READY_TIMEOUT);
    } catch (RuntimeException e) {
      started.forEach(KafkaChildProcess::kill);
      TempDirs.deleteRecursively(dataDir);
      throw e;
    }
    return new KafkaCluster(started, dataDir);
  }

  /**
   * Waits until the cluster lists {@code count} live brokers: a node prints its ready line once it
   * answers, which can be before every other node has registered, and a topic created then would
   * get fewer replicas.
   */
  static void awaitBrokers(String bootstrap, int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int seen = 0;
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      while (System.nanoTime() < deadline) {
        try {
          seen = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size();
          if (seen >= count) {
            return;
          }
        } catch (ExecutionException | TimeoutException e) {
          // not answering yet
        }
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new IllegalStateException("the cluster at " + bootstrap + " lists " + seen + " of its " + count
        + " brokers after " + timeout.toSeconds() + " s");
  }

  /** Every node's client address, comma-separated. */
  public String bootstrapServers() {
    return nodes.stream().map(KafkaChildProcess::bootstrapServers).collect(Collectors.joining(","));
  }

  /** The node with this id (1..size). */
  public KafkaChildProcess node(int id) {
    return nodes.get(id - 1);
  }

  public List<KafkaChildProcess> nodes() {
    return nodes;
  }

  /**
   * Kills the nodes still alive and removes the data. A clean stop one node after the other
   * would leave the last ones waiting for a quorum that is gone; the data is thrown away anyway.
   */
  @Override
  public void close() {
    nodes.stream().filter(KafkaChildProcess::isAlive).forEach(KafkaChildProcess::kill);
    TempDirs.deleteRecursively(dataDir);
  }
}
