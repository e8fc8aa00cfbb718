package io.spanlog.observer.service;

import io.spanlog.config.GoDuration;
import io.spanlog.kafka.DefaultKafka;
import io.spanlog.kafka.KafkaClientConfig;
import io.spanlog.net.HostPort;
import io.spanlog.observer.ObserverSettings;
import io.spanlog.observer.api.ObserverApi;
import io.spanlog.topics.TopicCatalogue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spanlog observer}: the endpoint observer service. */
@Command(
    name = "spanlog observer",
    mixinStandardHelpOptions = true,
    version = "spanlog observer 0.1.0-SNAPSHOT",
    sortOptions = false,
    defaultValueProvider = ObserverMain.Defaults.class,
    description = {
      "Derive link facts from the agents' telemetry, on Kafka Streams: link state changes,"
          + " endpoints observed working, flapping, asymmetric links, silent nodes, per-minute"
          + " RX/TX windows and the reachability matrix; answer queries on them over HTTP/JSON.",
      "",
      "Instances started with the same --application-id on the same Kafka share the work by"
          + " partition, and each answers for all (relaying to the instance that holds a cluster).",
      ""},
    footer = {
      "",
      "Examples:",
      "  ./spanlog observer",
      "      Kafka from $SPANLOG_KAFKA_BOOTSTRAP if set, else the embedded broker on",
      "      127.0.0.1:9092 (started if not running); read API on " + ObserverApi.DEFAULT_ADDR,
      "  ./spanlog observer --bootstrap kafka1:9092 \\",
      "      --api-addr :7171 --advertise obs-1:7171",
      "  ./spanlog observer --bootstrap kafka1:9093 --kafka-config /etc/spanlog/kafka.properties",
      "      a secured cluster: security.protocol, sasl.*, ssl.* ... in the file",
      "  ./spanlog ctl get links --cluster <id>",
      "  curl '127.0.0.1:7171/v1/matrix?cluster=<id>'",
      "",
      "Durations are Go-style: " + GoDuration.EXAMPLES + "."})
public final class ObserverMain implements Callable<Integer> {
  @Option(names = "--bootstrap", paramLabel = "<host:port,...>", defaultValue = "${env:SPANLOG_KAFKA_BOOTSTRAP}",
      description = "Kafka bootstrap servers (default: $SPANLOG_KAFKA_BOOTSTRAP; when neither is given, attach to or start the embedded broker on 127.0.0.1:9092)")
  String bootstrap;

  @Option(names = "--kafka-data", paramLabel = "<folder>", defaultValue = "./.spanlog/kafka", description = "data folder of the embedded broker (default ${DEFAULT-VALUE})")
  Path kafkaData;

  @Option(names = "--kafka-config", paramLabel = "<file>",
      description = "Kafka client properties (Java properties file: TLS, SASL, timeouts, ...) for every client of the observer; secrets in it are never logged")
  Path kafkaConfig;

  @Option(names = "--secrets", paramLabel = "<dir>", description = "cluster secrets directory (one file per cluster), to open sealed telemetry")
  Path secrets;

  @Option(names = "--state-dir", paramLabel = "<folder>", defaultValue = "./.spanlog/observer", description = "local state stores; rebuilt from Kafka when lost (default ${DEFAULT-VALUE})")
  Path stateDir;

  @Option(names = "--application-id", paramLabel = "<id>", defaultValue = ObserverConfig.DEFAULT_APPLICATION_ID, description = "Kafka Streams application id; instances sharing it share the work (default ${DEFAULT-VALUE})")
  String applicationId;

  @Option(names = "--api-addr", paramLabel = "<[host]:port>", defaultValue = ObserverApi.DEFAULT_ADDR, description = "read API listen address; loopback unless told otherwise (default ${DEFAULT-VALUE})")
  String apiAddr;

  @Option(names = "--advertise", paramLabel = "<host:port>", description = "how other instances reach this one's read API (default: the --api-addr, or this host's name on :port)")
  String advertise;

  @Option(names = "--metrics-addr", paramLabel = "<[host]:port>", defaultValue = ObserverConfig.DEFAULT_METRICS_ADDR, description = "Prometheus /metrics address; empty turns it off (default ${DEFAULT-VALUE})")
  String metricsAddr;

  @Option(names = "--threads", paramLabel = "<n>", defaultValue = "1", description = "stream threads (default ${DEFAULT-VALUE})")
  int threads;

  @Option(names = "--replicas", paramLabel = "<n>", description = "replication factor of the observer's internal topics (default: the broker count, at most 3; min in-sync 2 from 3 replicas)")
  Integer replicas;

  @Option(names = "--partitions", paramLabel = "<n>", defaultValue = "" + TopicCatalogue.DEFAULT_PARTITIONS, description = "partitions of topics this service creates when missing (default ${DEFAULT-VALUE})")
  int partitions;

  @Option(names = "--flap-changes", paramLabel = "<n>", description = "a link flaps after more than this many state changes within --flap-window (default ${DEFAULT-VALUE})")
  int flapChanges;

  @Option(names = "--flap-window", paramLabel = "<duration>", description = "window flapping is counted in, on sample time (default ${DEFAULT-VALUE})")
  String flapWindow;

  @Option(names = "--flap-quiet", paramLabel = "<duration>", description = "a flapping link is all-clear after keeping one state this long (default ${DEFAULT-VALUE})")
  String flapQuiet;

  @Option(names = "--asymmetric-after", paramLabel = "<duration>", description = "report a link up one way and not the other after this long (default ${DEFAULT-VALUE})")
  String asymmetricAfter;

  @Option(names = "--drift-grace", paramLabel = "<duration>", description = "report a node whose device differs from its expected peer specs (a peer missing, one that should be gone, an endpoint that is not a candidate) after this long; needs the cluster's secret (default ${DEFAULT-VALUE})")
  String driftGrace;

  @Option(names = "--silent-after", paramLabel = "<duration>", description = "report a node silent when none of its batches arrived for this long (default ${DEFAULT-VALUE})")
  String silentAfter;

  @Option(names = "--silence-check-every", paramLabel = "<duration>", description = "how often, in arrival time, nodes are checked for silence (default ${DEFAULT-VALUE})")
  String silenceCheckEvery;

  @Option(names = "--metrics-window", paramLabel = "<duration>", description = "RX/TX tumbling window, whole seconds (default ${DEFAULT-VALUE})")
  String metricsWindow;

  @Option(names = "--metrics-grace", paramLabel = "<duration>", description = "how long after its end a window takes late samples (default ${DEFAULT-VALUE})")
  String metricsGrace;

  @Option(names = "--metrics-retention", paramLabel = "<duration>", description = "how long closed windows stay queryable in the read API (default ${DEFAULT-VALUE})")
  String metricsRetention;

  @Option(names = "--sample-time-tolerance", paramLabel = "<duration>", description = "refuse batches sampled this far after they were appended (agent clock ahead) (default ${DEFAULT-VALUE})")
  String sampleTimeTolerance;

  @Option(names = "--proven-endpoints-per-peer", paramLabel = "<n>", description = "endpoints seen working remembered per peer (default ${DEFAULT-VALUE})")
  int provenEndpointsPerPeer;

  // Topic names: tests run several observers on one broker.
  @Option(names = "--telemetry-topic", hidden = true) String telemetryTopic;
  @Option(names = "--link-events-topic", hidden = true) String linkEventsTopic;
  @Option(names = "--link-metrics-topic", hidden = true) String linkMetricsTopic;
  @Option(names = "--dead-letter-topic", hidden = true) String deadLetterTopic;
  @Option(names = "--discovery-topic", hidden = true) String discoveryTopic;

  /** Printed once the service runs. */
  public static final String READY = "endpoint observer running";

  @Override
  public Integer call() throws Exception {
    ObserverConfig config = config(bootstrap); // every flag read before anything starts
    DefaultKafka.Broker broker = null;
    if (bootstrap == null || bootstrap.isBlank()) {
      broker = DefaultKafka.find()
          .orElseThrow(() -> new IllegalStateException(
              "no --bootstrap given and the embedded broker is not on the classpath; "
                  + "run it through ./spanlog or give --bootstrap"))
          .attachOrStart(kafkaData);
      config = config.withBootstrap(broker.bootstrapServers());
    }
    if (!config.kafka().isEmpty()) {
      System.out.println(config.kafka().describe());
    }
    ObserverService service;
    try {
      service = ObserverService.start(config);
    } catch (RuntimeException e) {
      if (broker != null) {
        broker.close();
      }
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    DefaultKafka.Broker ownedBroker = broker;
    // The service stops first (a last commit), then the broker it started.
    Thread hook = new Thread(() -> {
      service.close();
      if (ownedBroker != null) {
        ownedBroker.close();
      }
      stopped.countDown();
    }, "observer-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    System.out.println(READY + ": read API on " + config.api().host() + ":" + service.apiPort()
        + (service.metricsPort() < 0 ? "" : ", metrics on :" + service.metricsPort())
        + ", Kafka at " + config.bootstrap());
    while (!stopped.await(1, TimeUnit.SECONDS)) {
      if (service.failed().isDone()) {
        System.err.println("spanlog observer: stream processing stopped: "
            + service.failed().get().getMessage());
        return 1; // System.exit runs the hook, which closes what is left
      }
    }
    return 0;
  }

  /** The settings the flags give, on Kafka at {@code servers}. */
  ObserverConfig config(String servers) {
    ObserverSettings d = ObserverSettings.defaults();
    ObserverSettings s = d
        .withFlapping(flapChanges, duration(flapWindow, "--flap-window"),
            duration(flapQuiet, "--flap-quiet"))
        .withAsymmetricAfter(duration(asymmetricAfter, "--asymmetric-after"))
        .withSilence(duration(silentAfter, "--silent-after"),
            duration(silenceCheckEvery, "--silence-check-every"))
        .withMetrics(duration(metricsWindow, "--metrics-window"),
            duration(metricsGrace, "--metrics-grace"),
            duration(metricsRetention, "--metrics-retention"))
        .withSampleTimeTolerance(duration(sampleTimeTolerance, "--sample-time-tolerance"))
        .withProvenEndpointsPerPeer(provenEndpointsPerPeer)
        .withDriftGrace(positive(duration(driftGrace, "--drift-grace"), "--drift-grace"))
        .withDiscoveryTopic(or(discoveryTopic, d.discoveryEventsTopic()))
        .withTopics(or(telemetryTopic, d.telemetryTopic()), or(linkEventsTopic, d.linkEventsTopic()),
            or(linkMetricsTopic, d.linkMetricsTopic()), or(deadLetterTopic, d.deadLetterTopic()));
    HostPort api = HostPort.parseListen(apiAddr, "--api-addr");
    Optional<HostPort> metrics = metricsAddr.isBlank() ? Optional.empty()
        : Optional.of(HostPort.parseListen(metricsAddr, "--metrics-addr"));
    Optional<HostPort> advertised = Optional.ofNullable(advertise)
        .map(a -> HostPort.parse(a, "--advertise"));
    if (secrets != null && !Files.isDirectory(secrets)) {
      throw new IllegalArgumentException("--secrets " + secrets + " is not a directory");
    }
    if (applicationId.isBlank()) {
      throw new IllegalArgumentException("--application-id must not be empty");
    }
    return new ObserverConfig(s, servers == null ? "" : servers, applicationId, stateDir, api,
        advertised, metrics, threads, Optional.ofNullable(replicas), partitions,
        Optional.ofNullable(secrets),
        kafkaConfig == null ? KafkaClientConfig.NONE : KafkaClientConfig.load(kafkaConfig));
  }

  private static Duration positive(Duration d, String flag) {
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(flag + " must be longer than zero, not " + go(d));
    }
    return d;
  }

  private static String or(String given, String fallback) {
    return given == null || given.isBlank() ? fallback : given;
  }

  private static Duration duration(String text, String flag) {
    try {
      return GoDuration.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(flag + " " + e.getMessage());
    }
  }

  /** Go-style text of a duration: {@code 1h30m}, {@code 90s} as {@code 1m30s}, {@code 500ms}. */
  static String go(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    StringBuilder out = new StringBuilder();
    long h = d.toHours();
    int m = d.toMinutesPart();
    int s = d.toSecondsPart();
    int ms = d.toMillisPart();
    if (h > 0) {
      out.append(h).append('h');
    }
    if (m > 0) {
      out.append(m).append('m');
    }
    if (s > 0) {
      out.append(s).append('s');
    }
    if (ms > 0) {
      out.append(ms).append("ms");
    }
    return out.toString();
  }

  /** The thresholds' defaults, from {@link ObserverSettings#defaults()}: defined once, there. */
  public static final class Defaults implements CommandLine.IDefaultValueProvider {
    @Override
    public String defaultValue(CommandLine.Model.ArgSpec arg) {
      if (!(arg instanceof CommandLine.Model.OptionSpec o)) {
        return null;
      }
      ObserverSettings d = ObserverSettings.defaults();
      return switch (o.longestName()) {
        case "--flap-changes" -> Integer.toString(d.flapChanges());
        case "--flap-window" -> go(d.flapWindow());
        case "--flap-quiet" -> go(d.flapQuiet());
        case "--asymmetric-after" -> go(d.asymmetricAfter());
        case "--drift-grace" -> go(d.driftGrace());
        case "--silent-after" -> go(d.silentAfter());
        case "--silence-check-every" -> go(d.silenceCheckEvery());
        case "--metrics-window" -> go(d.metricsWindow());
        case "--metrics-grace" -> go(d.metricsGrace());
        case "--metrics-retention" -> go(d.metricsRetention());
        case "--sample-time-tolerance" -> go(d.sampleTimeTolerance());
        case "--proven-endpoints-per-peer" -> Integer.toString(d.provenEndpointsPerPeer());
        default -> null;
      };
    }
  }

  /** Runs the command; returns the exit code (2: bad flags, 1: could not run). */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new ObserverMain());
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("spanlog observer: " + (e.getMessage() == null ? e : e.getMessage()));
      return e instanceof IllegalArgumentException ? 2 : 1;
    });
    return cli.execute(args);
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }
}
