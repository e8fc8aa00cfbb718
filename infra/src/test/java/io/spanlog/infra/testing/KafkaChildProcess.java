package io.spanlog.infra.testing;

import io.spanlog.infra.BrokerSettings;
import io.spanlog.infra.KafkaMain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The embedded broker in a child JVM ({@link KafkaMain}), for tests that must kill a broker
 * without warning ({@link #kill()}) or stop it as an operator would ({@link #stop()}).
 */
public final class KafkaChildProcess implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  private final Process process;
  private final BrokerSettings settings;
  private final List<String> output = new ArrayList<>();
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private Thread reader;

  private KafkaChildProcess(Process process, BrokerSettings settings) {
    this.process = process;
    this.settings = settings;
  }

  /** Starts a broker JVM (heap 512 MB) and returns once it printed its ready line (topics not installed). */
  public static KafkaChildProcess start(BrokerSettings settings) {
    KafkaChildProcess child = launch(settings, "512m");
    child.awaitReady();
    return child;
  }

  /**
   * Starts a broker JVM with the given maximum heap ({@code -Xmx}) and returns at once: nodes of
   * one cluster become ready only together, once their quorum has formed ({@link #awaitReady()}).
   */
  public static KafkaChildProcess launch(BrokerSettings settings, String maxHeap) {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command =
        new ArrayList<>(
            List.of(
                java.toString(),
                "-Xmx" + maxHeap,
                "-cp",
                System.getProperty("java.class.path"),
                KafkaMain.class.getName(),
                "--port", Integer.toString(settings.port()),
                "--controller-port", Integer.toString(settings.controllerPort()),
                "--data-dir", settings.dataDir().toString(),
                "--node-id", Integer.toString(settings.nodeId()),
                "--voters", settings.voters(),
                "--no-topics"));
    settings.clusterId().ifPresent(id -> command.addAll(List.of("--cluster-id", id)));
    settings.overrides().forEach((k, v) -> command.addAll(List.of("--override", k + "=" + v)));
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a Kafka JVM", e);
    }
    KafkaChildProcess child = new KafkaChildProcess(process, settings);
    child.reader =
        new Thread(() -> child.drain(child.ready), "kafka-child-" + settings.port() + "-output");
    child.reader.setDaemon(true);
    child.reader.start();
    return child;
  }

  /** Waits until the broker printed its ready line; kills it and throws if it does not in 90 s. */
  public void awaitReady() {
    awaitReady(READY_TIMEOUT);
  }

  /** Waits until the broker printed its ready line; kills it and throws if it does not within {@code timeout}. */
  public void awaitReady(Duration timeout) {
    try {
      ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      kill();
      throw new IllegalStateException(
          "the Kafka JVM did not become ready; its output:\n" + output(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
      throw new IllegalStateException("interrupted while starting a Kafka JVM", e);
    }
  }

  private void drain(CompletableFuture<Void> ready) {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        synchronized (output) {
          output.add(line);
        }
        if (line.startsWith(KafkaMain.READY_PREFIX)) {
          ready.complete(null);
        }
      }
      ready.completeExceptionally(new IllegalStateException("the Kafka JVM exited"));
    } catch (IOException e) {
      ready.completeExceptionally(e);
    }
  }

  public String bootstrapServers() {
    return settings.bootstrapServers();
  }

  public BrokerSettings settings() {
    return settings;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Everything the child printed so far. */
  public String output() {
    synchronized (output) {
      return String.join("\n", output);
    }
  }

  /** SIGKILL: no shutdown, no flush beyond what the OS already has. */
  public void kill() {
    // through the handle: Process.destroy*() would also close our end of the child's output
    process.toHandle().destroyForcibly();
    waitForExit();
  }

  /**
   * SIGTERM: the broker shuts down cleanly. Returns the exit code, which is 143 (128 + SIGTERM)
   * as for any JVM ended by that signal.
   */
  public int stop() {
    process.toHandle().destroy();
    return waitForExit();
  }

  private int waitForExit() {
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
      reader.join(5_000); // so that output() holds the last lines
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return -1;
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      stop();
    }
  }
}
