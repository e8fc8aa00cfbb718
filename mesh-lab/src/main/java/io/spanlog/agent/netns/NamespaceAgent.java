package io.spanlog.agent.netns;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A node agent ({@code io.spanlog.agent.AgentMain --config <file>}) running as a child JVM inside
 * a lab node: its network namespace and a private /run/wireguard, so that its wireguard-go owns
 * interface {@code kubespan} like on a real node. Output goes to a log file.
 */
public final class NamespaceAgent implements AutoCloseable {
  public static final String AGENT_MAIN = "io.spanlog.agent.AgentMain";
  /** Several agent JVMs share two cores with the broker: small heaps, C1 only. */
  private static final List<String> JVM_OPTIONS = List.of("-Xmx160m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  private final NetnsLab lab;
  private final LabNode node;
  private final Path config;
  private final Path log;
  private Process process;

  private NamespaceAgent(NetnsLab lab, LabNode node, Path config, Path log) {
    this.lab = lab;
    this.node = node;
    this.config = config;
    this.log = log;
  }

  /** Starts the agent of {@code node} with {@code config}, appending its output to {@code log}. */
  public static NamespaceAgent start(NetnsLab lab, LabNode node, Path config, Path log) throws IOException {
    NamespaceAgent agent = new NamespaceAgent(lab, node, config, log);
    agent.start();
    return agent;
  }

  /** Starts the agent again after {@link #stop()}, with the same config and state folder. */
  public synchronized void start() throws IOException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(node.namespace() + ": the agent is already running");
    }
    ProcessBuilder builder = new ProcessBuilder(lab.isolatedCommand(node, java(List.of("--config", config.toString()))));
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    process = builder.start();
  }

  /**
   * Runs {@code AgentMain <args>} to completion inside the node (e.g. {@code leave --config f}),
   * output appended to the log.
   *
   * @return the exit code
   */
  public int runCommand(List<String> args, long timeoutSeconds) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(lab.isolatedCommand(node, java(args)));
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process command = builder.start();
    if (!command.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      command.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      throw new IOException(node.namespace() + ": 'agent " + String.join(" ", args) + "' did not finish in "
          + timeoutSeconds + " s (see " + log + ")");
    }
    return command.exitValue();
  }

  private List<String> java(List<String> args) {
    List<String> line = new ArrayList<>();
    line.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    line.addAll(JVM_OPTIONS);
    line.add("-cp");
    line.add(System.getProperty("java.class.path"));
    line.add(AGENT_MAIN);
    line.addAll(args);
    return line;
  }

  public LabNode node() {
    return node;
  }

  public Path config() {
    return config;
  }

  public Path log() {
    return log;
  }

  /** The process id of the running agent (of its namespace wrapper), to tell a restart from a survival. */
  public synchronized java.util.OptionalLong pid() {
    return process != null && process.isAlive() ? java.util.OptionalLong.of(process.pid()) : java.util.OptionalLong.empty();
  }

  public synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  /**
   * Stops the agent as an operator would (SIGTERM, its shutdown runs), forcibly after 10 s.
   *
   * @return whether it ended on its own
   */
  public synchronized boolean stop() {
    if (process == null) {
      return true;
    }
    Process p = process;
    process = null;
    p.destroy();
    try {
      if (p.waitFor(10, TimeUnit.SECONDS)) {
        return true;
      }
      p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    return false;
  }

  @Override
  public void close() {
    stop();
  }
}
