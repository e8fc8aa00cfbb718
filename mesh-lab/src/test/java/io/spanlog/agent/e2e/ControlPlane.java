package io.spanlog.agent.e2e;

import io.spanlog.discovery.log.DiscoveryTopics;
import io.spanlog.infra.BrokerSettings;
import io.spanlog.infra.testing.FreePorts;
import io.spanlog.infra.testing.KafkaChildProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The control plane of the end-to-end mesh as an operator runs it: a Kafka broker JVM (the
 * embedded KRaft broker, data in its own folder) and the discovery service JVM ({@code
 * DiscoveryMain}, the real command line) listening on the lab's service address, its output in a
 * log file. Both can be stopped entirely (SIGTERM) and started again on the same data folder and
 * ports.
 */
final class ControlPlane implements AutoCloseable {
  static final String DISCOVERY_MAIN = "io.spanlog.discovery.server.DiscoveryMain";
  private static final String READY = "discovery service listening on ";

  private final BrokerSettings kafkaSettings;
  private final InetAddress serviceAddress;
  private final int discoveryPort;
  private final Path discoveryLog;
  private final List<String> brokerOutputs = new ArrayList<>();
  private KafkaChildProcess kafka;
  private Process discovery;

  private ControlPlane(Path folder, InetAddress serviceAddress) {
    int[] ports = FreePorts.pair();
    this.kafkaSettings = new BrokerSettings(ports[0], ports[1], folder.resolve("kafka"));
    this.serviceAddress = serviceAddress;
    this.discoveryPort = FreePorts.next();
    this.discoveryLog = folder.resolve("discovery.log");
  }

  /** Starts the broker, creates the catalogue's topics, then starts discovery. */
  static ControlPlane start(Path folder, InetAddress serviceAddress) throws Exception {
    ControlPlane plane = new ControlPlane(folder, serviceAddress);
    try {
      plane.startKafka();
      awaitTopics(plane.bootstrapServers());
      plane.startDiscovery();
    } catch (Exception | Error e) {
      plane.close();
      throw e;
    }
    return plane;
  }

  String bootstrapServers() {
    return kafkaSettings.bootstrapServers();
  }

  String discoveryUrl() {
    return "http://" + serviceAddress.getHostAddress() + ":" + discoveryPort + "/";
  }

  Path discoveryLog() {
    return discoveryLog;
  }

  /** Everything every broker JVM of this run printed. */
  List<String> brokerOutputs() {
    List<String> out = new ArrayList<>(brokerOutputs);
    if (kafka != null) {
      out.add(kafka.output());
    }
    return out;
  }

  /** Stops discovery, then Kafka, as an operator would (SIGTERM). */
  void stop() {
    stopDiscovery();
    if (kafka != null) {
      kafka.stop();
      brokerOutputs.add(kafka.output());
      kafka = null;
    }
  }

  /** Kafka again on the same data folder and ports, then discovery on the same address and port. */
  void startAgain() throws Exception {
    startKafka();
    startDiscovery();
  }

  private void startKafka() {
    kafka = KafkaChildProcess.start(kafkaSettings);
  }

  private void startDiscovery() throws IOException, InterruptedException {
    long from = Files.exists(discoveryLog) ? Files.size(discoveryLog) : 0;
    List<String> command = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), DISCOVERY_MAIN,
        "--addr", serviceAddress.getHostAddress() + ":" + discoveryPort,
        "--metrics-addr", "",
        "--bootstrap", bootstrapServers(),
        "--partitions", "1",
        "--gc-interval", "1s",
        "--snapshot-interval", "10s",
        "--rate-limit", "10000",
        "--rate-burst", "10000",
        "--instance-id", "e2e");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(discoveryLog.toFile()));
    discovery = builder.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!logSince(from).contains(READY)) {
      if (!discovery.isAlive()) {
        throw new IllegalStateException("the discovery service exited with " + discovery.exitValue() + ": "
            + logSince(from));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the discovery service did not serve within 60 s: " + logSince(from));
      }
      Thread.sleep(100);
    }
  }

  private String logSince(long offset) throws IOException {
    byte[] all = Files.readAllBytes(discoveryLog);
    return new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset),
        StandardCharsets.UTF_8);
  }

  private void stopDiscovery() {
    if (discovery == null) {
      return;
    }
    Process p = discovery;
    discovery = null;
    p.destroy();
    try {
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** The catalogue's topics, created and listed with their partitions before discovery starts. */
  private static void awaitTopics(String bootstrap) {
    DiscoveryTopics.catalogue().ensure(bootstrap, 1);
  }

  @Override
  public void close() {
    stopDiscovery();
    if (kafka != null) {
      kafka.close();
      brokerOutputs.add(kafka.output());
      kafka = null;
    }
  }
}
