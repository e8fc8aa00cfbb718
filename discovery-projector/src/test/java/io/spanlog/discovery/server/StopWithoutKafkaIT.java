package io.spanlog.discovery.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.infra.BrokerSettings;
import io.spanlog.infra.testing.FreePorts;
import io.spanlog.infra.testing.KafkaChildProcess;
import io.spanlog.infra.testing.TempDirs;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SIGTERM ends {@code ./spanlog discovery} within seconds also when its broker is already gone
 * (kill -9): the final snapshots, leaving the ownership group and the producer's flush are all
 * bounded, so the service fits a supervisor's stop grace instead of waiting out Kafka's timeouts.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class StopWithoutKafkaIT {
  /** Generous: the service aims at about 5 s (2 s of last snapshots, 1 s to leave the group, 1 s of producer flush). */
  static final long BOUND_SECONDS = 10;

  @Test
  void sigtermEndsTheServiceWithinSecondsWhenItsBrokerWasKilled() throws Exception {
    Path data = TempDirs.create("spanlog-stop-without-kafka-");
    Vertx vertx = Vertx.vertx();
    try (KafkaChildProcess kafka = KafkaChildProcess.start(new BrokerSettings(FreePorts.next(), FreePorts.next(), data));
        ChildProcess child = ChildProcess.main("--bootstrap", kafka.bootstrapServers(), "--addr", "127.0.0.1:0",
            "--metrics-addr", "127.0.0.1:0", "--partitions", "3", "--snapshot-interval", "1h",
            "--rate-limit", "100000", "--rate-burst", "100000", "--instance-id", "stopping")) {
      try (ApiClient client = new ApiClient(vertx, child.awaitPort())) {
        for (int i = 0; i < 20; i++) {
          client.update("c" + (i % 4), "n" + i, "data", Duration.ofMinutes(30)).ok();
        }
        // the owner has partitions and unsnapshotted state: a graceful stop wants to write snapshots
        Watcher watch = client.watch("c0");
        watch.next();
        kafka.kill();
        long stopAsked = System.nanoTime();
        child.terminate();
        OptionalInt exit = child.awaitExit(60);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopAsked);
        System.out.printf("SIGTERM with the broker killed: exited %s after %d ms%n", exit, millis);
        assertThat(exit).as("the service ended; its output:\n%s", child.output()).isPresent();
        assertThat(millis).as("SIGTERM to exit, with Kafka gone; output:\n%s", child.output())
            .isLessThan(TimeUnit.SECONDS.toMillis(BOUND_SECONDS));
      }
    } finally {
      vertx.close().await();
      TempDirs.deleteRecursively(data);
    }
  }
}
