package io.spanlog.discovery.server;

import io.spanlog.config.GoDuration;
import io.spanlog.discovery.log.DiscoveryTopics;
import io.spanlog.discovery.projection.ProjectionLoop;
import io.spanlog.discovery.rpc.AddressCaps;
import io.spanlog.kafka.DefaultKafka;
import io.spanlog.kafka.KafkaClientConfig;
import io.spanlog.net.HostPort;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code spanlog discovery}: the discovery service, with the reference service's flags. */
@Command(
    name = "spanlog discovery",
    mixinStandardHelpOptions = true,
    version = "spanlog discovery 0.1.0-SNAPSHOT",
    sortOptions = false,
    description = {
      "Serve the Talos discovery API (gRPC, wire-compatible with discovery.talos.dev), event-sourced on Kafka.",
      "",
      "One port carries: sidero.discovery.server.Cluster (what Talos nodes and Spanlog agents call),"
          + " spanlog.telemetry.v1.Telemetry (agents' handshake samples) and gRPC server reflection v1"
          + " (grpcurl and friends list and call the services without .proto files)."
          + " Every write is an event on Kafka; List and Watch answer from a projection of the log.",
      ""},
    footer = {
      "",
      "Examples:",
      "  ./spanlog discovery",
      "      Kafka from $SPANLOG_KAFKA_BOOTSTRAP if set, else the embedded broker",
      "      on 127.0.0.1:9092 (started if not running); gRPC on " + DiscoveryConfig.DEFAULT_ADDR,
      "  ./spanlog discovery --bootstrap kafka1:9092,kafka2:9092 --addr :3000",
      "  ./spanlog discovery --bootstrap kafka1:9093 --kafka-config /etc/spanlog/kafka.properties",
      "      a secured cluster: security.protocol, sasl.*, ssl.* ... in the file",
      "  grpcurl -plaintext -d '{\"clusterId\":\"c1\"}' localhost:3000 \\",
      "      sidero.discovery.server.Cluster/List",
      "",
      "Health: the metrics address also answers GET /healthz/live (200, or 503 once the projection of the",
      "event log stopped), /healthz/ready (200 while caught up, following the log and not stopping; else 503)",
      "and /healthz (both as JSON). If the projection fails, it restarts " + ProjectionLoop.RESTARTS + " times (1 s, 2 s, 4 s apart);",
      "then the service ends its Watch streams with UNAVAILABLE, leaves expiry to other instances and exits 1.",
      "",
      "Durations are Go-style: " + GoDuration.EXAMPLES + ".",
      "The .proto files are in discovery-api/src/main/proto/."})
public final class DiscoveryMain implements Callable<Integer> {
  @Option(names = "--addr", paramLabel = "<[host]:port>", defaultValue = DiscoveryConfig.DEFAULT_ADDR, description = "gRPC listen address (default ${DEFAULT-VALUE})")
  String addr;

  @Option(names = "--metrics-addr", paramLabel = "<[host]:port>", defaultValue = DiscoveryConfig.DEFAULT_METRICS_ADDR, description = "Prometheus /metrics and /healthz address; empty turns both off (default ${DEFAULT-VALUE})")
  String metricsAddr;

  @Option(names = "--gc-interval", paramLabel = "<duration>", defaultValue = DiscoveryConfig.DEFAULT_GC_INTERVAL, description = "expiry collection interval (default ${DEFAULT-VALUE})")
  String gcInterval;

  @Option(names = "--snapshot-interval", paramLabel = "<duration>", defaultValue = DiscoveryConfig.DEFAULT_SNAPSHOT_INTERVAL, description = "how often partition owners write projection snapshots (default ${DEFAULT-VALUE})")
  String snapshotInterval;

  @Option(names = "--redirect-endpoint", paramLabel = "<host:port>", description = "tell every client (Hello) to use this host:port instead")
  String redirect;

  @Option(names = "--certificate-path", paramLabel = "<file>", description = "TLS certificate (PEM)")
  Path certificate;

  @Option(names = "--key-path", paramLabel = "<file>", description = "TLS private key (PEM)")
  Path key;

  @Option(names = "--trust-x-real-ip", description = "believe the X-Real-IP header (only behind a proxy that sets it)")
  boolean trustRealIp;

  @Option(names = "--trust-first-x-forwarded-for", description = "believe the first X-Forwarded-For entry (only behind a proxy)")
  boolean trustForwardedFor;

  @Option(names = "--rate-limit", paramLabel = "<per-second>", defaultValue = DiscoveryConfig.DEFAULT_RATE_LIMIT, description = "requests per second per client IP (default ${DEFAULT-VALUE})")
  double rateLimit;

  @Option(names = "--rate-burst", paramLabel = "<requests>", defaultValue = DiscoveryConfig.DEFAULT_RATE_BURST, description = "rate limit burst (default ${DEFAULT-VALUE})")
  int rateBurst;

  @Option(names = "--max-streams-per-address", paramLabel = "<calls>", defaultValue = DiscoveryConfig.DEFAULT_MAX_STREAMS_PER_ADDRESS,
      description = "concurrent calls (Watch streams included) per client IP, per /64 for IPv6 (default ${DEFAULT-VALUE})")
  int maxStreamsPerAddress;

  @Option(names = "--max-connections-per-address", paramLabel = "<connections>", defaultValue = DiscoveryConfig.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
      description = "open connections per client IP, per /64 for IPv6 (default ${DEFAULT-VALUE})")
  int maxConnectionsPerAddress;

  @Option(names = "--max-streams-per-connection", paramLabel = "<streams>", defaultValue = DiscoveryConfig.DEFAULT_MAX_STREAMS_PER_CONNECTION,
      description = "HTTP/2 concurrent streams per connection (default ${DEFAULT-VALUE})")
  int maxStreamsPerConnection;

  @Option(names = "--reflection", negatable = true, defaultValue = DiscoveryConfig.DEFAULT_REFLECTION, fallbackValue = "true", description = "serve gRPC server reflection v1 (default ${DEFAULT-VALUE})")
  boolean reflection;

  @Option(names = "--bootstrap", paramLabel = "<host:port,...>", defaultValue = "${env:SPANLOG_KAFKA_BOOTSTRAP}",
      description = "Kafka bootstrap servers (default: $SPANLOG_KAFKA_BOOTSTRAP; when neither is given, attach to or start the embedded broker on 127.0.0.1:9092)")
  String bootstrap;

  @Option(names = "--kafka-config", paramLabel = "<file>",
      description = "Kafka client properties (Java properties file: TLS, SASL, timeouts, ...) for every producer, consumer"
          + " and admin client of the service; secrets in it are never logged")
  Path kafkaConfig;

  @Option(names = DiscoveryTopics.ALLOW_UNDER_REPLICATED_FLAG,
      description = "serve on an events topic with fewer replicas than the cluster allows (min(3, brokers));"
          + " without it the service refuses to start on one")
  boolean allowUnderReplicated;

  @Option(names = "--kafka-data", paramLabel = "<folder>", defaultValue = "./.spanlog/kafka", description = "data folder of the embedded broker (default ${DEFAULT-VALUE})")
  Path kafkaData;

  @Option(names = "--partitions", paramLabel = "<n>", defaultValue = DiscoveryConfig.DEFAULT_PARTITIONS, description = "partitions of topics this service creates (default ${DEFAULT-VALUE})")
  int partitions;

  @Option(names = "--max-clusters", paramLabel = "<n>", defaultValue = DiscoveryConfig.DEFAULT_MAX_CLUSTERS, description = "clusters with affiliates this instance admits; an update creating one more is refused (default ${DEFAULT-VALUE})")
  int maxClusters;

  @Option(names = "--max-affiliates", paramLabel = "<n>", defaultValue = DiscoveryConfig.DEFAULT_MAX_AFFILIATES, description = "affiliates over all clusters this instance admits; an update creating one more is refused (default ${DEFAULT-VALUE})")
  int maxAffiliates;

  @Option(names = "--max-watches-per-address", paramLabel = "<n>", defaultValue = DiscoveryConfig.DEFAULT_MAX_WATCHES_PER_ADDRESS, description = "open Watch streams per client address (default ${DEFAULT-VALUE})")
  int maxWatchesPerAddress;

  @Option(names = "--max-watches-per-cluster", paramLabel = "<n>", defaultValue = DiscoveryConfig.DEFAULT_MAX_WATCHES_PER_CLUSTER, description = "open Watch streams per cluster (default ${DEFAULT-VALUE})")
  int maxWatchesPerCluster;

  @Option(names = "--instance-id", paramLabel = "<name>", description = "name of this instance in events (default: hostname:port)")
  String instanceId;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    HostPort listen = HostPort.parseListen(addr, "--addr");
    fromFlags("", ""); // every flag read before anything starts: a typo costs no broker start
    KafkaClientConfig client;
    try {
      client = kafkaClient();
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("spanlog discovery: " + e.getMessage());
      return 2;
    }
    if ((certificate == null) != (key == null)) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--certificate-path and --key-path go together");
    }
    if (certificate != null) {
      TlsFiles.check(certificate, key);
    }
    DefaultKafka.Broker broker = null;
    String servers = bootstrap;
    if (servers == null || servers.isBlank()) {
      broker = defaultKafka().attachOrStart(kafkaData);
      servers = broker.bootstrapServers();
    }
    String id = instanceId != null ? instanceId : InetAddress.getLocalHost().getHostName() + ":" + listen.port();
    DiscoveryConfig config = fromFlags(servers, id);
    if (!client.isEmpty()) {
      System.out.println(client.describe());
    }
    DiscoveryServer server = DiscoveryServer.with(config).kafkaClient(client)
        .allowUnderReplicated(allowUnderReplicated).start();
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    DefaultKafka.Broker ownedBroker = broker;
    AtomicBoolean once = new AtomicBoolean();
    // The service stops first, then the broker it started, so its last writes still land.
    Runnable shutdown = () -> {
      if (once.compareAndSet(false, true)) {
        server.close();
        if (ownedBroker != null) {
          ownedBroker.close();
        }
      }
      stopped.complete(null);
    };
    Runtime.getRuntime().addShutdownHook(new Thread(shutdown, "discovery-shutdown"));
    System.out.println("discovery service listening on " + listen.host() + ":" + server.port()
        + (server.metricsPort() < 0 ? "" : ", metrics and /healthz on " + config.metricsHost() + ":" + server.metricsPort())
        + ", Kafka at " + servers);
    CompletableFuture.anyOf(stopped, server.failure()).join();
    if (!stopped.isDone()) {
      // the projection gave up: end here, so that a supervisor starts a fresh process
      shutdown.run();
      throw new IllegalStateException("the projection of the event log stopped and did not recover after "
          + ProjectionLoop.RESTARTS + " restarts (" + server.failure().join() + "); exiting for a supervisor to restart this instance");
    }
    return 0;
  }

  /** The client properties of --kafka-config, or none. */
  KafkaClientConfig kafkaClient() {
    return kafkaConfig == null ? KafkaClientConfig.NONE : KafkaClientConfig.load(kafkaConfig);
  }

  /** The embedded broker, which the launcher adds to this service's classpath (infra). */
  private static DefaultKafka defaultKafka() {
    return DefaultKafka.find()
        .orElseThrow(() -> new IllegalStateException(
            "no --bootstrap given and the embedded broker is not on the classpath; "
                + "run it through ./spanlog or give --bootstrap"));
  }

  /** The settings the flags give, on Kafka at {@code servers}, as instance {@code id}. */
  DiscoveryConfig fromFlags(String servers, String id) {
    HostPort listen = HostPort.parseListen(addr, "--addr");
    Optional<HostPort> metrics = metricsAddr.isBlank() ? Optional.empty() : Optional.of(HostPort.parseListen(metricsAddr, "--metrics-addr"));
    return new DiscoveryConfig(listen.host(), listen.port(),
        metrics.map(HostPort::host).orElse(HostPort.ALL_INTERFACES), metrics.map(HostPort::port).orElse(-1),
        duration(gcInterval, "--gc-interval"), duration(snapshotInterval, "--snapshot-interval"),
        Optional.ofNullable(redirect), Optional.ofNullable(certificate), Optional.ofNullable(key),
        trustRealIp, trustForwardedFor, rateLimit, rateBurst, addressLimits(), reflection, servers,
        DiscoveryTopics.catalogue(), partitions, id, DiscoveryConfig.DEFAULT_GC_GROUP, caps());
  }

  private DiscoveryConfig.Caps caps() {
    atLeastOne(maxClusters, "--max-clusters");
    atLeastOne(maxAffiliates, "--max-affiliates");
    atLeastOne(maxWatchesPerAddress, "--max-watches-per-address");
    atLeastOne(maxWatchesPerCluster, "--max-watches-per-cluster");
    return new DiscoveryConfig.Caps(maxClusters, maxAffiliates, maxWatchesPerAddress, maxWatchesPerCluster);
  }

  private AddressCaps.Limits addressLimits() {
    atLeastOne(maxStreamsPerAddress, "--max-streams-per-address");
    atLeastOne(maxConnectionsPerAddress, "--max-connections-per-address");
    atLeastOne(maxStreamsPerConnection, "--max-streams-per-connection");
    return new AddressCaps.Limits(maxStreamsPerAddress, maxConnectionsPerAddress, maxStreamsPerConnection);
  }

  private static void atLeastOne(int value, String flag) {
    if (value < 1) {
      throw new IllegalArgumentException(flag + " " + value + ": must be at least 1");
    }
  }

  private static Duration duration(String text, String flag) {
    try {
      return GoDuration.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(flag + " " + e.getMessage());
    }
  }

  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new DiscoveryMain());
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("spanlog discovery: " + e.getMessage());
      return 1;
    });
    System.exit(cli.execute(args));
  }
}
