package io.spanlog.discovery.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.infra.testing.TempDirs;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code spanlog discovery} without --bootstrap uses $SPANLOG_KAFKA_BOOTSTRAP, not the embedded broker. */
class DiscoveryMainEnvIT {
  @Test
  void theEnvironmentNamesKafkaWhenTheFlagDoesNot() throws Exception {
    Path data = Files.createTempDirectory("disc-env").resolve("kafka");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        DiscoveryMain.class.getName(), "--addr", "127.0.0.1:0", "--metrics-addr", "", "--kafka-data", data.toString(),
        "--partitions", "3", "--instance-id", "env-it")
        .redirectErrorStream(true);
    pb.environment().put("SPANLOG_KAFKA_BOOTSTRAP", TestServers.bootstrap());
    Process p = pb.start();
    List<String> output = new ArrayList<>();
    CompletableFuture<String> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          synchronized (output) {
            output.add(line);
          }
          if (line.startsWith("discovery service listening on")) {
            ready.complete(line);
          }
        }
      } catch (Exception e) {
        // the child is gone
      }
      ready.completeExceptionally(new IllegalStateException("exited"));
    });
    reader.setDaemon(true);
    reader.start();
    try {
      String line;
      try {
        line = ready.get(90, TimeUnit.SECONDS);
      } catch (Exception e) {
        synchronized (output) {
          throw new AssertionError("the service did not start; its output:\n" + String.join("\n", output), e);
        }
      }
      assertThat(line).endsWith("Kafka at " + TestServers.bootstrap());
      assertThat(data).as("no embedded broker data folder").doesNotExist();
    } finally {
      p.destroy();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      TempDirs.deleteRecursively(data.getParent());
    }
  }
}
