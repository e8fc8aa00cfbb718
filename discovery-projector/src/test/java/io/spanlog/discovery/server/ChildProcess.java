package io.spanlog.discovery.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A discovery instance in a child JVM with the test classpath ({@link DiscoveryChild}). */
final class ChildProcess implements AutoCloseable {
  private final Process process;
  private final List<String> output = new ArrayList<>();
  private final CompletableFuture<Integer> port = new CompletableFuture<>();

  private ChildProcess(Process process) {
    this.process = process;
    Thread reader = new Thread(this::drain, "discovery-child-output");
    reader.setDaemon(true);
    reader.start();
  }

  static ChildProcess start(String bootstrap, String log, String instance) {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    try {
      return new ChildProcess(new ProcessBuilder(java.toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
          DiscoveryChild.class.getName(), bootstrap, log, instance).redirectErrorStream(true).start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a discovery JVM", e);
    }
  }

  /** The gRPC port, once the child serves. */
  int awaitPort() throws Exception {
    try {
      return port.get(90, TimeUnit.SECONDS);
    } catch (Exception e) {
      kill();
      throw new IllegalStateException("the discovery JVM did not start serving; its output:\n" + output(), e);
    }
  }

  private void drain() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        synchronized (output) {
          output.add(line);
        }
        if (line.startsWith(DiscoveryChild.READY_PREFIX)) {
          port.complete(Integer.parseInt(line.substring(DiscoveryChild.READY_PREFIX.length()).trim()));
        }
      }
    } catch (IOException e) {
      // the child is gone
    }
    port.completeExceptionally(new IllegalStateException("the discovery JVM exited"));
  }

  String output() {
    synchronized (output) {
      return String.join("\n", output);
    }
  }

  /** SIGKILL: no shutdown hook, no final snapshot, no producer flush. */
  void kill() throws InterruptedException {
    process.toHandle().destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
