package io.spanlog.infra;

import io.spanlog.kafka.TopicInstaller;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spanlog topics}: creates Spanlog's topics on any Kafka cluster and reports drift. */
@Command(
    name = "spanlog topics",
    mixinStandardHelpOptions = true,
    description = {
      "Creates Spanlog's topics on a Kafka cluster if they are missing, and reports existing",
      "topics whose partitions or settings differ from the catalogue (never changes them).",
      "Exit code 0: all as catalogued; 3: drift found; 1: the cluster could not be used."
    })
public final class TopicsMain implements Callable<Integer> {
  @Option(
      names = "--bootstrap-servers",
      description = "Kafka bootstrap servers (default: $SPANLOG_KAFKA_BOOTSTRAP or ${DEFAULT-VALUE})",
      defaultValue = "${env:SPANLOG_KAFKA_BOOTSTRAP:-127.0.0.1:9092}")
  String bootstrapServers;

  public static void main(String[] args) {
    System.exit(new CommandLine(new TopicsMain()).execute(args));
  }

  @Override
  public Integer call() {
    int timeoutMs = (int) Duration.ofSeconds(15).toMillis();
    int requestTimeoutMs = (int) Duration.ofSeconds(10).toMillis();
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeoutMs,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs))) {
      TopicInstaller.Report report = new TopicInstaller(admin).installCatalogue();
      System.out.println(report.describe());
      return report.hasDrift() ? 3 : 0;
    } catch (IllegalStateException | KafkaException e) {
      System.err.println("spanlog topics: " + bootstrapServers + ": " + e.getMessage());
      return 1;
    }
  }
}
