package io.spanlog.observer.service;

import io.spanlog.kafka.TopicInstaller;
import io.spanlog.net.HostPort;
import io.spanlog.observer.ObserverSettings;
import io.spanlog.observer.api.ClusterLocator;
import io.spanlog.observer.api.ObserverApi;
import io.spanlog.observer.api.StreamsLocator;
import io.spanlog.observer.intake.BatchOpener;
import io.spanlog.observer.intake.SealedBatchOpener;
import io.spanlog.observer.query.Census;
import io.spanlog.observer.query.StoreReads;
import io.spanlog.observer.topology.ObserverTopology;
import io.spanlog.secrets.ClusterSecrets;
import io.spanlog.topics.TopicCatalogue;
import io.spanlog.topics.TopicSpec;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running observer instance, in the order it starts: its topics, its read API, its metrics
 * port, then the Kafka Streams topology. {@link #close()} stops them in the reverse order, the
 * topology first with a last commit, and leaves the consumer group so the others take over its
 * partitions at once.
 */
public final class ObserverService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ObserverService.class);
  private static final Duration TOPICS_WAIT = Duration.ofSeconds(60);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);
  private static final long CENSUS_EVERY_MS = 10_000;

  private final ObserverConfig config;
  private final Vertx vertx = Vertx.vertx();
  private final ObserverMetrics metrics = new ObserverMetrics();
  private final CompletableFuture<Throwable> failed = new CompletableFuture<>();
  private volatile ClusterLocator locator =
      cluster -> new ClusterLocator.Unavailable("the observer is starting; try again in a few seconds");
  private ObserverApi api;
  private HttpServer metricsHttp;
  private KafkaStreams streams;
  private HostInfo self;
  private long censusTimer = -1;
  private ClusterSecrets secrets;

  private ObserverService(ObserverConfig config) {
    this.config = config;
  }

  /**
   * Starts an instance; it is processing (or rebalancing towards it) when this returns.
   *
   * @throws IllegalStateException or IllegalArgumentException with a sentence when something
   *     cannot start (Kafka unreachable, a port taken, a bad secrets directory)
   */
  public static ObserverService start(ObserverConfig config) {
    ObserverService s = new ObserverService(config);
    try {
      s.startAll();
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
    return s;
  }

  private void startAll() {
    // sealed batches open with their cluster's secret from the directory (files added later are
    // picked up); plaintext batches already in the log are read as they were
    secrets = config.secrets().map(ClusterSecrets::watching).orElseGet(ClusterSecrets::none);
    BatchOpener opener = new SealedBatchOpener(secrets);
    StreamsProperties.Replication replication = installTopics();
    startApi();
    startMetrics();
    startStreams(opener, replication);
  }

  /** Creates the observer's topics where missing; says where existing ones differ. */
  private StreamsProperties.Replication installTopics() {
    Map<String, Object> admin = new HashMap<>();
    admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrap());
    admin.put(AdminClientConfig.CLIENT_ID_CONFIG, "observer-topics");
    try (Admin a = Admin.create(config.kafka().admin(admin))) {
      List<TopicSpec> specs = topics(config.settings(), config.partitions());
      TopicInstaller.Report report = new TopicInstaller(a, TOPICS_WAIT).install(specs);
      LOG.info("{}", report.describe());
      specs.stream().map(TopicSpec::name).filter(report::underReplicated).forEach(t ->
          LOG.warn("topic {} has fewer replicas than the cluster allows ({}): a broker loss can"
              + " stop or lose its writes", t, report.replication()));
      awaitLeaders(a, specs.stream().map(TopicSpec::name).toList());
      checkCoPartitioned(a, config.settings());
      return config.replicas().map(StreamsProperties.Replication::of)
          .orElseGet(() -> StreamsProperties.Replication.of(report.replication()));
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Kafka at " + config.bootstrap() + " did not answer: "
          + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while installing topics", e);
    }
  }

  /** The catalogue's specs of the observer's input and outputs, under the names it uses. */
  static List<TopicSpec> topics(ObserverSettings s, int partitions) {
    Map<String, String> names = Map.of(
        TopicCatalogue.TELEMETRY, s.telemetryTopic(),
        TopicCatalogue.LINK_EVENTS, s.linkEventsTopic(),
        TopicCatalogue.LINK_METRICS, s.linkMetricsTopic(),
        TopicCatalogue.DEAD_LETTER, s.deadLetterTopic(),
        TopicCatalogue.DISCOVERY_EVENTS, s.discoveryEventsTopic());
    List<TopicSpec> out = new ArrayList<>();
    for (TopicSpec spec : TopicCatalogue.all(partitions)) {
      String name = names.get(spec.name());
      if (name != null) {
        out.add(new TopicSpec(name, spec.partitions(), spec.configs(), spec.keyScheme(),
            spec.purpose()));
      }
    }
    return out;
  }

  /**
   * A cluster's batches and discovery events meet in one stream task only when both topics have
   * as many partitions (both are keyed by cluster id with the default partitioner): Kafka Streams
   * pairs partition p of one with partition p of the other.
   */
  static void checkCoPartitioned(Admin admin, ObserverSettings s)
      throws InterruptedException, ExecutionException, TimeoutException {
    Map<String, TopicDescription> d = admin.describeTopics(
            List.of(s.telemetryTopic(), s.discoveryEventsTopic()))
        .allTopicNames().get(TOPICS_WAIT.toSeconds(), TimeUnit.SECONDS);
    int telemetry = d.get(s.telemetryTopic()).partitions().size();
    int discovery = d.get(s.discoveryEventsTopic()).partitions().size();
    if (telemetry != discovery) {
      throw new IllegalStateException("topic " + s.telemetryTopic() + " has " + telemetry
          + " partitions and " + s.discoveryEventsTopic() + " has " + discovery + ": they must"
          + " have as many (both are keyed by cluster id, and the observer reads a cluster's"
          + " batches and discovery events together); create both with the same count, as"
          + " `./spanlog topics` does (adding partitions to a topic in use moves clusters to other"
          + " partitions and breaks the order of their events)");
    }
  }

  /** A topic created a moment ago may have partitions without a leader yet. */
  private static void awaitLeaders(Admin admin, List<String> names)
      throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + TOPICS_WAIT.toNanos();
    while (true) {
      Map<String, TopicDescription> d;
      try {
        d = admin.describeTopics(names).allTopicNames().get(TOPICS_WAIT.toSeconds(), TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        d = Map.of(); // not known to every broker yet
      }
      boolean ready = d.size() == names.size() && d.values().stream()
          .flatMap(t -> t.partitions().stream()).map(TopicPartitionInfo::leader)
          .allMatch(l -> l != null && !l.isEmpty());
      if (ready) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("topics " + names + " have no leader after "
            + TOPICS_WAIT.toSeconds() + " s");
      }
      Thread.sleep(100);
    }
  }

  private void startApi() {
    HostPort listen = config.api();
    api = new ObserverApi(vertx, cluster -> locator.locate(cluster),
        config.settings().metricsRetention(), config.settings().driftGrace(),
        cluster -> secrets.lookup(cluster).isPresent(), this::instance, this::applicationServer,
        Clock.systemUTC());
    int port = await(api.start(listen.host(), listen.port()), "the read API on " + listen);
    HostPort adv =
        config.advertised().orElseGet(() -> new HostPort(advertisedHost(listen.host()), port));
    self = new HostInfo(adv.host(), adv.port());
  }

  private String applicationServer() {
    return self == null ? "unknown" : new HostPort(self.host(), self.port()).toString();
  }

  private static String advertisedHost(String listenHost) {
    if (!listenHost.equals(HostPort.ALL_INTERFACES) && !listenHost.equals("::")) {
      return listenHost;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      throw new IllegalStateException("cannot tell this host's name for other instances to reach"
          + " its read API; give --advertise host:port", e);
    }
  }

  private void startMetrics() {
    if (config.metrics().isEmpty()) {
      return;
    }
    HostPort m = config.metrics().get();
    metricsHttp = await(vertx.createHttpServer(new HttpServerOptions().setHost(m.host()).setPort(m.port()))
        .requestHandler(req -> {
          if (req.path().equals("/metrics")) {
            vertx.executeBlocking(metrics::scrape, false).onComplete(ar -> req.response()
                .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                .setStatusCode(ar.succeeded() ? 200 : 500)
                .end(ar.succeeded() ? ar.result() : "cannot scrape: " + ar.cause().getMessage() + "\n"));
          } else {
            req.response().setStatusCode(404).end("not found: try /metrics\n");
          }
        })
        .listen(), "the metrics port on " + m);
  }

  private void startStreams(BatchOpener opener, StreamsProperties.Replication replication) {
    streams = new KafkaStreams(
        ObserverTopology.build(config.settings(), opener, metrics, secrets::lookup),
        StreamsProperties.of(config, replication, applicationServer(), metrics));
    streams.setUncaughtExceptionHandler(e -> {
      LOG.error("the observer's stream processing failed; stopping", e);
      failed.complete(e);
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    streams.setStateListener((now, before) -> {
      LOG.info("observer {} -> {}", before, now);
      if (now == KafkaStreams.State.ERROR) {
        failed.complete(new IllegalStateException("Kafka Streams went into ERROR"));
      }
    });
    metrics.bind(streams);
    locator = new StreamsLocator(streams, self);
    streams.start();
    censusTimer = vertx.setPeriodic(CENSUS_EVERY_MS, id -> vertx.executeBlocking(() -> {
      census();
      return null;
    }, false));
    LOG.info("endpoint observer {} (application.server {}) on Kafka at {}: read API on {}:{},"
            + " metrics on {}, internal topics with {} replica(s), min in-sync {}",
        config.applicationId(), applicationServer(),
        config.bootstrap(), config.api().host(), api.port(),
        metricsHttp == null ? "off" : metricsHttp.actualPort(), replication.factor(),
        replication.minInSync());
  }

  /** Sets the per-cluster gauges from this instance's stores; skipped while they are not queryable. */
  void census() {
    if (streams.state() != KafkaStreams.State.RUNNING) {
      return;
    }
    try {
      StoreReads reads = StoreReads.local(streams);
      metrics.census(Census.of(reads.allLinks(), reads.allCells(), reads.allNodes(),
          reads.allDrift()));
    } catch (InvalidStateStoreException e) {
      LOG.debug("census skipped: {}", e.getMessage());
    }
  }

  /** What {@code /v1/instance} shows. */
  private Object instance() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("applicationId", config.applicationId());
    m.put("applicationServer", applicationServer());
    m.put("state", streams == null ? "STARTING" : streams.state().name());
    TreeSet<String> active = new TreeSet<>();
    if (streams != null && streams.state().isRunningOrRebalancing()) {
      for (ThreadMetadata t : streams.metadataForLocalThreads()) {
        t.activeTasks().forEach(task -> task.topicPartitions()
            .forEach(tp -> active.add(tp.topic() + "-" + tp.partition())));
      }
    }
    m.put("activePartitions", List.copyOf(active));
    return m;
  }

  /** The read API's port. */
  public int apiPort() {
    return api.port();
  }

  /** The metrics port, or -1 when off. */
  public int metricsPort() {
    return metricsHttp == null ? -1 : metricsHttp.actualPort();
  }

  public KafkaStreams.State state() {
    return streams == null ? KafkaStreams.State.CREATED : streams.state();
  }

  /** Completes with the cause when stream processing stopped on an error. */
  public CompletableFuture<Throwable> failed() {
    return failed;
  }

  public ObserverMetrics metrics() {
    return metrics;
  }

  /** Waits until the topology runs (all tasks assigned and restored). */
  public void awaitRunning(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (streams.state() != KafkaStreams.State.RUNNING) {
      if (System.nanoTime() > deadline || failed.isDone()) {
        throw new IllegalStateException("the observer is " + streams.state() + " after "
            + timeout.toSeconds() + " s, not RUNNING");
      }
      Thread.sleep(50);
    }
  }

  @Override
  public void close() {
    if (censusTimer >= 0) {
      vertx.cancelTimer(censusTimer);
    }
    if (streams != null) {
      streams.close(CloseOptions.timeout(CLOSE_WAIT)
          .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    }
    if (api != null) {
      quietly(() -> api.stop().await(5, TimeUnit.SECONDS));
    }
    if (metricsHttp != null) {
      quietly(() -> metricsHttp.close().await(5, TimeUnit.SECONDS));
    }
    quietly(() -> vertx.close().await(5, TimeUnit.SECONDS));
    metrics.close();
    if (secrets != null) {
      secrets.close();
    }
  }

  private interface Step {
    void run() throws Exception;
  }

  private static void quietly(Step step) {
    try {
      step.run();
    } catch (Exception e) {
      LOG.debug("while stopping: {}", e.toString());
    }
  }

  private static <T> T await(io.vertx.core.Future<T> f, String what) {
    try {
      return f.await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start " + what + ": " + e.getMessage(), e);
    }
  }
}
