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

/**
 * A discovery instance in a child JVM with the test classpath: {@link DiscoveryChild} (test
 * settings, shared broker) or {@code ./spanlog discovery} itself ({@link DiscoveryMain}).
 */
final class ChildProcess implements AutoCloseable {
  private final Process process;
  private final List<String> output = new ArrayList<>();
  private final CompletableFuture<Integer> port = new CompletableFuture<>();
  private final CompletableFuture<Integer> metricsPort = new CompletableFuture<>();
  /** DiscoveryMain's line once it serves: gRPC port, then the metrics port when it has one. */
  private static final java.util.regex.Pattern MAIN_READY = java.util.regex.Pattern.compile(
      "discovery service listening on \\S*:(\\d+)(?:, metrics and /healthz on \\S*:(\\d+))?,.*");

  private ChildProcess(Process process) {
    this.process = process;
    Thread reader = new Thread(this::drain, "discovery-child-output");
    reader.setDaemon(true);
    reader.start();
  }

  static ChildProcess start(String bootstrap, String log, String instance) {
    return launch(DiscoveryChild.class.getName(), bootstrap, log, instance);
  }

  /** {@code ./spanlog discovery} with these flags. */
  static ChildProcess main(String... flags) {
    String[] command = new String[flags.length + 1];
    command[0] = DiscoveryMain.class.getName();
    System.arraycopy(flags, 0, command, 1, flags.length);
    return launch(command);
  }

  private static ChildProcess launch(String... mainAndArgs) {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path")));
    command.addAll(List.of(mainAndArgs));
    try {
      return new ChildProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
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
        java.util.regex.Matcher m = MAIN_READY.matcher(line);
        if (m.matches()) {
          port.complete(Integer.parseInt(m.group(1)));
          if (m.group(2) != null) {
            metricsPort.complete(Integer.parseInt(m.group(2)));
          }
        }
      }
    } catch (IOException e) {
      // the child is gone
    }
    port.completeExceptionally(new IllegalStateException("the discovery JVM exited"));
    metricsPort.completeExceptionally(new IllegalStateException("the discovery JVM exited"));
  }

  /** The metrics (and /healthz) port, once the child serves; {@link #main} children only. */
  int awaitMetricsPort() throws Exception {
    awaitPort();
    return metricsPort.get(5, TimeUnit.SECONDS);
  }

  /** SIGTERM, as a supervisor stops a service. */
  void terminate() {
    process.toHandle().destroy();
  }

  /** The exit code once the child ended within {@code seconds}; empty if it still runs then. */
  java.util.OptionalInt awaitExit(long seconds) throws InterruptedException {
    return process.waitFor(seconds, TimeUnit.SECONDS) ? java.util.OptionalInt.of(process.exitValue()) : java.util.OptionalInt.empty();
  }

  long pid() {
    return process.pid();
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
