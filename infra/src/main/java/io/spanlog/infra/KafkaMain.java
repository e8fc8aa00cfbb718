package io.spanlog.infra;

import io.spanlog.kafka.TopicInstaller;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spanlog kafka}: the embedded broker in the foreground until SIGINT or SIGTERM. Tests run
 * it as a child JVM when they need to kill a broker the hard way.
 */
@Command(
    name = "spanlog kafka",
    mixinStandardHelpOptions = true,
    description = {
      "Runs an Apache Kafka node (KRaft: broker and controller in one) until interrupted.",
      "Alone by default; --node-id, --voters and --cluster-id make it one node of a cluster",
      "(the same voters and cluster id on every node)."
    })
public final class KafkaMain implements Callable<Integer> {
  /** The start of the line printed once the broker answers; child-process launchers wait for it. */
  public static final String READY_PREFIX = "Kafka ready on ";

  @Option(names = "--port", description = "client port on 127.0.0.1 (default: ${DEFAULT-VALUE})")
  int port = BrokerSettings.DEFAULT_PORT;

  @Option(
      names = "--controller-port",
      description = "KRaft controller port on 127.0.0.1 (default: the client port + 1)")
  Integer controllerPort;

  @Option(
      names = "--data-dir",
      description = "where the broker keeps its data; formatted on first use (default: ${DEFAULT-VALUE})")
  Path dataDir = Path.of(".spanlog", "kafka");

  @Option(names = "--no-topics", description = "do not create Spanlog's topics on start")
  boolean noTopics;

  @Option(names = "--node-id", description = "this node's id in the controller quorum (default: ${DEFAULT-VALUE})")
  int nodeId = 1;

  @Option(
      names = "--voters",
      paramLabel = "<id@host:port,...>",
      description = "the controller quorum, e.g. 1@127.0.0.1:9093,2@127.0.0.1:9095,3@127.0.0.1:9097"
          + " (default: this node alone)")
  String voters;

  @Option(
      names = "--cluster-id",
      description = "cluster id to format a new data folder with; every node of a cluster needs the same"
          + " (default: a random one)")
  String clusterId;

  @Option(
      names = "--override",
      paramLabel = "<key=value>",
      description = "a server property set over the ones derived from the flags (repeatable),"
          + " e.g. --override broker.session.timeout.ms=3000")
  Map<String, String> overrides = new LinkedHashMap<>();

  public static void main(String[] args) {
    System.exit(new CommandLine(new KafkaMain()).execute(args));
  }

  @Override
  public Integer call() {
    BrokerSettings settings;
    try {
      settings =
          new BrokerSettings(port, controllerPort == null ? port + 1 : controllerPort, dataDir,
              nodeId, voters, Optional.ofNullable(clusterId), overrides);
    } catch (IllegalArgumentException e) {
      System.err.println("spanlog kafka: " + e.getMessage());
      return 2;
    }
    EmbeddedKafka kafka;
    try {
      kafka = EmbeddedKafka.start(settings);
    } catch (IllegalStateException e) {
      System.err.println("spanlog kafka: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  kafka.close();
                  System.out.println("Kafka stopped");
                  stopped.countDown();
                },
                "kafka-shutdown"));
    if (!noTopics) {
      try (Admin admin =
          Admin.create(
              Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
        System.out.println(new TopicInstaller(admin).installCatalogue().describe());
      } catch (IllegalStateException e) {
        System.err.println("spanlog kafka: " + e.getMessage());
        return 1;
      }
    }
    System.out.println(
        READY_PREFIX + kafka.bootstrapServers() + " (data: " + settings.dataDir() + ")");
    System.out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
