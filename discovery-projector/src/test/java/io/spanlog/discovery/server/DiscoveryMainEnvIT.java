package io.spanlog.discovery.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.infra.testing.KafkaFixture;
import io.spanlog.infra.testing.TempDirs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.junit.jupiter.api.Test;

/** {@code spanlog discovery} as a process: where it finds Kafka, and how it talks to it. */
class DiscoveryMainEnvIT {
  static final String SECRET = "it-secret-" + Long.toHexString(System.nanoTime());

  /** Without --bootstrap it uses $SPANLOG_KAFKA_BOOTSTRAP, not the embedded broker. */
  @Test
  void theEnvironmentNamesKafkaWhenTheFlagDoesNot() throws Exception {
    Path data = Files.createTempDirectory("disc-env").resolve("kafka");
    try (Child child = Child.start(Map.of("SPANLOG_KAFKA_BOOTSTRAP", TestServers.bootstrap()),
        "--addr", "127.0.0.1:0", "--metrics-addr", "", "--kafka-data", data.toString(),
        "--partitions", "3", "--instance-id", "env-it")) {
      String line = child.awaitListening();
      assertThat(line).endsWith("Kafka at " + TestServers.bootstrap());
      assertThat(data).as("no embedded broker data folder").doesNotExist();
    } finally {
      TempDirs.deleteRecursively(data.getParent());
    }
  }

  /**
   * --kafka-config's properties reach the service's clients: the broker sees its expiry group's
   * member under the file's client.id prefix, and the secret in the file is in no line it prints.
   */
  @Test
  void theKafkaConfigFileReachesItsClientsAndItsSecretsStayUnprinted() throws Exception {
    Path dir = Files.createTempDirectory("disc-kafka-config");
    Path file = dir.resolve("kafka.properties");
    String prefix = "kc-" + Long.toHexString(System.nanoTime());
    Files.writeString(file, String.join("\n",
        "client.id=" + prefix,
        "request.timeout.ms=25000",
        // PLAINTEXT ignores SASL settings, so a secret can ride along harmlessly
        "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"" + SECRET + "\";",
        "ssl.truststore.password=" + SECRET,
        ""));
    try (Child child = Child.start(Map.of(), "--bootstrap", TestServers.bootstrap(), "--kafka-config", file.toString(),
        "--addr", "127.0.0.1:0", "--metrics-addr", "", "--partitions", "3", "--instance-id", "config-it")) {
      child.awaitListening();
      assertThat(child.output()).contains("Kafka client properties from " + file + ": client.id=" + prefix
          + ", request.timeout.ms=25000, sasl.jaas.config=(hidden), ssl.truststore.password=(hidden)");

      String expected = prefix + "-config-it-gc";
      List<String> clientIds = List.of();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      try (Admin admin = KafkaFixture.shared().newAdmin()) {
        while (!clientIds.contains(expected) && System.nanoTime() < deadline) {
          ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(DiscoveryConfig.DEFAULT_GC_GROUP))
              .all().get(30, TimeUnit.SECONDS).get(DiscoveryConfig.DEFAULT_GC_GROUP);
          clientIds = group.members().stream().map(MemberDescription::clientId).toList();
          Thread.sleep(200);
        }
      }
      assertThat(clientIds).as("client ids in the expiry group").contains(expected);
    }
    // the child has stopped: everything it printed is in
    TempDirs.deleteRecursively(dir);
  }

  /** The service in a child JVM with the test classpath (the embedded broker's provider included). */
  static final class Child implements AutoCloseable {
    private final Process process;
    private final List<String> output = new ArrayList<>();
    private final CompletableFuture<String> listening = new CompletableFuture<>();
    private final Thread reader;

    private Child(Process process) {
      this.process = process;
      this.reader = new Thread(this::drain, "discovery-main-output");
      reader.setDaemon(true);
      reader.start();
    }

    static Child start(Map<String, String> env, String... args) throws IOException {
      Path java = Path.of(System.getProperty("java.home"), "bin", "java");
      List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
          DiscoveryMain.class.getName()));
      command.addAll(List.of(args));
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
      pb.environment().remove("SPANLOG_KAFKA_BOOTSTRAP");
      pb.environment().putAll(env);
      return new Child(pb.start());
    }

    private void drain() {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          synchronized (output) {
            output.add(line);
          }
          if (line.startsWith("discovery service listening on")) {
            listening.complete(line);
          }
        }
      } catch (IOException e) {
        // the child is gone
      }
      listening.completeExceptionally(new IllegalStateException("exited"));
    }

    String awaitListening() {
      try {
        return listening.get(90, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError("the service did not start; its output:\n" + output(), e);
      }
    }

    String output() {
      synchronized (output) {
        return String.join("\n", output);
      }
    }

    @Override
    public void close() throws Exception {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      reader.join(5_000);
      assertThat(output()).as("nothing the service printed holds the file's secret").doesNotContain(SECRET);
    }
  }
}
