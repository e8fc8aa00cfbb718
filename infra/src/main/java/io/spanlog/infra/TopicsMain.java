package io.spanlog.infra;

import io.spanlog.kafka.KafkaClientConfig;
import io.spanlog.kafka.TopicInstaller;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code spanlog topics}: creates Spanlog's topics on any Kafka cluster and reports drift. */
@Command(
    name = "spanlog topics",
    mixinStandardHelpOptions = true,
    description = {
      "Creates Spanlog's topics on a Kafka cluster if they are missing (replication min(3, brokers),",
      "min.insync.replicas 2 where it is 3), and reports existing topics whose partitions,",
      "replication or settings differ from the catalogue (never changes them).",
      "Exit code 0: all as catalogued; 3: drift found; 1: the cluster could not be used;",
      "2: a wrong flag or --kafka-config file."
    })
public final class TopicsMain implements Callable<Integer> {
  static final Duration TIMEOUT = Duration.ofSeconds(15);

  @Option(
      names = {"--bootstrap", "--bootstrap-servers"},
      paramLabel = "<host:port,...>",
      description = "Kafka bootstrap servers (default: $SPANLOG_KAFKA_BOOTSTRAP or ${DEFAULT-VALUE})",
      defaultValue = "${env:SPANLOG_KAFKA_BOOTSTRAP:-127.0.0.1:9092}")
  String bootstrapServers;

  @Option(
      names = "--kafka-config",
      paramLabel = "<file>",
      description = "Kafka client properties (Java properties file: TLS, SASL, timeouts, ...); secrets in it are never logged")
  Path kafkaConfig;

  @Spec CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new TopicsMain()).execute(args));
  }

  @Override
  public Integer call() {
    KafkaClientConfig client;
    try {
      client = kafkaConfig == null ? KafkaClientConfig.NONE : KafkaClientConfig.load(kafkaConfig);
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("spanlog topics: " + e.getMessage());
      return 2;
    }
    try (Admin admin = Admin.create(adminSettings(client))) {
      TopicInstaller.Report report = new TopicInstaller(admin, TIMEOUT).installCatalogue();
      spec.commandLine().getOut().println(report.describe());
      return report.hasDrift() ? 3 : 0;
    } catch (IllegalStateException | KafkaException e) {
      spec.commandLine().getErr().println("spanlog topics: " + bootstrapServers + ": " + e.getMessage());
      return 1;
    }
  }

  /** The admin client's settings: the servers, bounded requests, then the file's properties. */
  Map<String, Object> adminSettings(KafkaClientConfig client) {
    Map<String, Object> base = new HashMap<>();
    base.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    base.put(AdminClientConfig.CLIENT_ID_CONFIG, "spanlog-topics");
    base.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Duration.ofSeconds(10).toMillis());
    base.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    Map<String, Object> merged = client.admin(base);
    // Kafka refuses an API timeout below the request timeout the file may have raised
    int request = Integer.parseInt(merged.get(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG).toString());
    int api = Integer.parseInt(merged.get(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG).toString());
    merged.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Math.max(request, api));
    return merged;
  }
}
