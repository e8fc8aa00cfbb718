package io.spanlog.infra;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real Apache Kafka broker, single node, KRaft mode (broker and controller in one), running
 * inside this JVM. Storage is formatted on first start and reused afterwards, so a restart on the
 * same data folder finds its records again.
 *
 * <pre>
 * try (EmbeddedKafka kafka = EmbeddedKafka.start(9092, Path.of(".spanlog/kafka"))) {
 *   String bootstrap = kafka.bootstrapServers();
 * }
 * </pre>
 */
public final class EmbeddedKafka implements KafkaBroker {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  private final BrokerSettings settings;
  private final KafkaRaftServer server;
  private final Duration startupTime;
  private boolean closed;

  private EmbeddedKafka(BrokerSettings settings, KafkaRaftServer server, Duration startupTime) {
    this.settings = settings;
    this.server = server;
    this.startupTime = startupTime;
  }

  /** Starts a broker on {@code port} (controller on {@code port + 1}) with data in {@code dataDir}. */
  public static EmbeddedKafka start(int port, Path dataDir) {
    return start(BrokerSettings.of(port, dataDir));
  }

  /**
   * Formats the data folder if it is new, starts the broker and returns once it answers a
   * describe-cluster request.
   *
   * @throws IllegalStateException with the reason when the broker cannot start (port taken, data
   *     folder locked by another broker, ...)
   */
  public static EmbeddedKafka start(BrokerSettings settings) {
    long t0 = System.nanoTime();
    // Kafka treats a controller port it cannot bind as a fatal fault and halts the whole JVM;
    // asking first turns the common case into an exception the caller can report.
    requireFree(settings.port(), "port");
    requireFree(settings.controllerPort(), "controller port");
    Properties props = settings.serverProperties();
    format(settings, props);
    KafkaRaftServer server;
    try {
      server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
      server.startup();
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "cannot start Kafka on " + settings.bootstrapServers() + " with data in "
              + settings.dataDir() + ": " + rootMessage(e),
          e);
    }
    try {
      awaitReady(settings.bootstrapServers(), READY_TIMEOUT);
    } catch (RuntimeException e) {
      server.shutdown();
      server.awaitShutdown();
      throw e;
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    LOG.info("Kafka ready on {} in {} ms (data: {})",
        settings.bootstrapServers(), took.toMillis(), settings.dataDir());
    return new EmbeddedKafka(settings, server, took);
  }

  /**
   * The broker already answering on 127.0.0.1:{@code port}, or else one started here with data in
   * {@code dataDir}. This is what a service uses when it was given no bootstrap servers: the
   * first service started on a machine runs the broker, the others share it.
   *
   * @throws IllegalStateException when the port is taken by something that is not Kafka
   */
  public static KafkaBroker attachOrStart(int port, Path dataDir) {
    String bootstrap = BrokerSettings.HOST + ":" + port;
    if (!acceptsConnections(BrokerSettings.HOST, port)) {
      return start(port, dataDir);
    }
    try {
      awaitReady(bootstrap, Duration.ofSeconds(10));
    } catch (IllegalStateException e) {
      throw new IllegalStateException(
          "port " + port + " on " + BrokerSettings.HOST
              + " is taken by something that does not answer as Kafka; "
              + "free it or choose another port",
          e);
    }
    LOG.info("Using the Kafka broker already running on {}", bootstrap);
    return KafkaBroker.external(bootstrap);
  }

  @Override
  public String bootstrapServers() {
    return settings.bootstrapServers();
  }

  @Override
  public boolean startedHere() {
    return true;
  }

  public BrokerSettings settings() {
    return settings;
  }

  public Path dataDir() {
    return settings.dataDir();
  }

  /** From the start call to the first answered describe-cluster request. */
  public Duration startupTime() {
    return startupTime;
  }

  /** Stops the broker cleanly (a later start on the same folder needs no log recovery). */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.shutdown();
    server.awaitShutdown();
    LOG.info("Kafka on {} stopped", settings.bootstrapServers());
  }

  private static void format(BrokerSettings settings, Properties props) {
    // A formatted folder keeps its cluster id; formatting again (even with --ignore-formatted)
    // would compare it with a fresh random id and refuse.
    if (Files.exists(settings.dataDir().resolve("meta.properties"))) {
      return;
    }
    Path config = null;
    try {
      Files.createDirectories(settings.dataDir());
      config = Files.createTempFile("spanlog-kafka-", ".properties");
      try (OutputStream out = Files.newOutputStream(config)) {
        props.store(out, "Spanlog embedded Kafka");
      }
      ByteArrayOutputStream output = new ByteArrayOutputStream();
      int code;
      try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
        code =
            StorageTool.execute(
                new String[] {
                  "format",
                  "-t", settings.clusterId().orElseGet(() -> Uuid.randomUuid().toString()),
                  "-c", config.toString()
                },
                print);
      }
      if (code != 0) {
        throw new IllegalStateException(
            "cannot format Kafka storage in " + settings.dataDir() + ": "
                + output.toString(StandardCharsets.UTF_8).strip());
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot prepare Kafka storage in " + settings.dataDir() + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      if (e instanceof IllegalStateException) {
        throw e;
      }
      throw new IllegalStateException(
          "cannot format Kafka storage in " + settings.dataDir() + ": " + rootMessage(e), e);
    } finally {
      if (config != null) {
        try {
          Files.deleteIfExists(config);
        } catch (IOException ignored) {
          // a leftover temp file is harmless
        }
      }
    }
  }

  /** Waits until the broker at {@code bootstrap} lists at least one node. */
  static void awaitReady(String bootstrap, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, Object> config =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 4_000,
            AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
    Exception last = null;
    try (Admin admin = Admin.create(config)) {
      while (System.nanoTime() < deadline) {
        try {
          Collection<Node> nodes =
              admin.describeCluster().nodes().get(4, TimeUnit.SECONDS);
          if (!nodes.isEmpty()) {
            return;
          }
        } catch (ExecutionException | TimeoutException e) {
          last = e;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for Kafka on " + bootstrap, e);
        }
        sleep(100);
      }
    }
    throw new IllegalStateException(
        "Kafka on " + bootstrap + " did not answer within " + timeout.toSeconds() + " s"
            + (last == null ? "" : ": " + rootMessage(last)),
        last);
  }

  private static void requireFree(int port, String what) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(BrokerSettings.HOST, port));
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot start Kafka on " + BrokerSettings.HOST + ":" + port + ": the " + what + " "
              + port + " is in use (" + e.getMessage() + "); stop what uses it or choose another",
          e);
    }
  }

  static boolean acceptsConnections(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.toString() : root.getMessage();
  }
}
