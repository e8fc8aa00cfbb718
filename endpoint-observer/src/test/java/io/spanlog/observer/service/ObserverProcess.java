package io.spanlog.observer.service;

import io.spanlog.observer.ObserverSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code spanlog observer} ({@link ObserverMain}) in a child JVM, for tests that kill it and for
 * the benchmark, which measures it on its own.
 */
public final class ObserverProcess implements AutoCloseable {
  private final Process process;
  private final List<String> output = new ArrayList<>();
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final Thread reader;

  private ObserverProcess(Process process) {
    this.process = process;
    reader = new Thread(this::drain, "observer-child-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts the observer with its command line's flags and waits for its ready line. */
  static ObserverProcess start(String bootstrap, String applicationId, Path stateDir,
      ObserverSettings topics, String... more) {
    List<String> args = new ArrayList<>(List.of(
        "--bootstrap", bootstrap, "--application-id", applicationId,
        "--state-dir", stateDir.toString(), "--api-addr", "127.0.0.1:0", "--metrics-addr", "",
        "--partitions", "3",
        "--telemetry-topic", topics.telemetryTopic(),
        "--link-events-topic", topics.linkEventsTopic(),
        "--link-metrics-topic", topics.linkMetricsTopic(),
        "--dead-letter-topic", topics.deadLetterTopic(),
        "--discovery-topic", topics.discoveryEventsTopic(),
        "--kafka-config", kafkaConfig(stateDir).toString()));
    args.addAll(List.of(more));
    return launch(List.of("-Xmx384m"), args);
  }

  /**
   * Starts {@code java <jvmOptions> -cp <this JVM's class path> ObserverMain <args>} and waits for
   * its ready line.
   */
  public static ObserverProcess launch(List<String> jvmOptions, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), ObserverMain.class.getName()));
    command.addAll(args);
    ObserverProcess child;
    try {
      child = new ObserverProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start an observer JVM", e);
    }
    try {
      child.ready.get(90, TimeUnit.SECONDS);
    } catch (Exception e) {
      child.kill();
      throw new IllegalStateException("the observer JVM did not start; its output:\n" + child.output(), e);
    }
    return child;
  }

  /** A member killed without leaving is replaced after 10 s, not the 45 s default. */
  private static Path kafkaConfig(Path stateDir) {
    try {
      return Files.writeString(stateDir.resolveSibling(stateDir.getFileName() + ".kafka.properties"),
          "session.timeout.ms=10000\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void drain() {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        synchronized (output) {
          output.add(line);
        }
        if (line.startsWith(ObserverMain.READY)) {
          ready.complete(null);
        }
      }
      ready.completeExceptionally(new IllegalStateException("the observer JVM exited"));
    } catch (IOException e) {
      ready.completeExceptionally(e);
    }
  }

  public String output() {
    synchronized (output) {
      return String.join("\n", output);
    }
  }

  public long pid() {
    return process.pid();
  }

  /** {@code kill -9}: no shutdown hook, no last commit. */
  void kill() {
    process.toHandle().destroyForcibly();
    waitFor(Duration.ofSeconds(30));
  }

  /** {@code kill} (SIGTERM), as an operator or a service manager stops it; returns how long it took. */
  public Duration terminate(Duration atMost) {
    long start = System.nanoTime();
    process.toHandle().destroy();
    if (!waitFor(atMost)) {
      throw new AssertionError("the observer did not stop within " + atMost.toSeconds()
          + " s of SIGTERM; its output:\n" + output());
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  private boolean waitFor(Duration d) {
    try {
      boolean exited = process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
      reader.join(2_000);
      return exited;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }
}
