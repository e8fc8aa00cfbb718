package io.spanlog.discovery.server;

import io.spanlog.discovery.ClusterState;
import io.spanlog.discovery.expiry.ExpiryPass;
import io.spanlog.discovery.log.CheckpointStore;
import io.spanlog.discovery.log.DiscoveryTopics;
import io.spanlog.discovery.log.EventAppender;
import io.spanlog.discovery.log.KafkaSettings;
import io.spanlog.discovery.log.SnapshotStore;
import io.spanlog.discovery.metrics.DiscoveryMetrics;
import io.spanlog.discovery.ownership.CheckpointPolicy;
import io.spanlog.discovery.ownership.PartitionOwnership;
import io.spanlog.discovery.ownership.PartitionOwnership.Duty;
import io.spanlog.discovery.ownership.SnapshotWriter;
import io.spanlog.discovery.projection.ClusterProjection;
import io.spanlog.discovery.projection.FanoutListener;
import io.spanlog.discovery.projection.PendingWrites;
import io.spanlog.discovery.projection.ProjectionLoop;
import io.spanlog.discovery.projection.WatchCaps;
import io.spanlog.discovery.rpc.AddressCaps;
import io.spanlog.discovery.rpc.ClientAddress;
import io.spanlog.discovery.rpc.ClusterApi;
import io.spanlog.discovery.rpc.GuardedGrpcRequest;
import io.spanlog.discovery.rpc.RateLimiter;
import io.spanlog.discovery.rpc.RpcCalls;
import io.spanlog.discovery.rpc.TelemetryApi;
import io.spanlog.discovery.rpc.WriteAdmission;
import io.spanlog.kafka.DeadLetterRouter;
import io.spanlog.kafka.KafkaClientConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.grpc.reflection.ReflectionService;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One discovery service instance, wired: Kafka producer and projection, the gRPC port (the
 * discovery API, Spanlog's telemetry service, reflection, and the landing page for non-gRPC
 * requests), the metrics port, and the partition ownership that runs expiry and snapshots.
 *
 * <p>{@link #start} returns once the projection has folded the log as it was at start-up, so a
 * fresh instance never serves an empty or partial view. {@link #with} starts one with parts a
 * test or a benchmark chooses (a clock, a Vert.x, a producer, a fan-out listener).
 *
 * <p>The metrics port also answers {@code /healthz/live}, {@code /healthz/ready} and
 * {@code /healthz} ({@link Health}); it opens before the projection catches up, so a probe sees
 * "live, not ready" rather than a refused connection. If the projection gives up, the instance
 * releases its partitions and completes {@link #failure()}: its owner then closes it and exits.
 */
public final class DiscoveryServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DiscoveryServer.class);
  /** How often the TLS certificate and key files are looked at for a renewal. */
  static final Duration CERTIFICATE_LOOK_INTERVAL = Duration.ofSeconds(5);
  /** Records still unsent at stop are not waited for longer (their writes were not acknowledged). */
  static final Duration PRODUCER_CLOSE = Duration.ofSeconds(1);

  /** Makes the instance's Kafka producer from its settings ({@link KafkaSettings#producer}). */
  @FunctionalInterface
  public interface ProducerFactory {
    Producer<byte[], byte[]> create(Map<String, Object> settings);
  }

  private final DiscoveryConfig config;
  private final Vertx vertx;
  private final boolean ownsVertx;
  private final Producer<byte[], byte[]> producer;
  /**
   * Snapshots and checkpoints only: a whole-state snapshot is megabytes of chunks, and on the
   * events producer every write RPC's record would queue behind them (one connection, requests in
   * order), so acks and fan-out would wait seconds for each snapshot.
   */
  private final Producer<byte[], byte[]> snapshotProducer;
  private final ClusterProjection view;
  private final PendingWrites pending = new PendingWrites();
  private final ProjectionLoop projection;
  private final PartitionOwnership ownership;
  private final DiscoveryMetrics metrics = new DiscoveryMetrics();
  private final ClusterApi clusterApi;
  private final TelemetryApi telemetryApi;
  private final RateLimiter limiter;
  private final AddressCaps caps;
  private final EventAppender eventAppender;
  private final EventAppender telemetryAppender;
  private HttpServer grpcHttp;
  private HttpServer metricsHttp;
  private long sweepTimer;
  private long certificateTimer = -1;
  private final CompletableFuture<RuntimeException> failure = new CompletableFuture<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean stopping;

  private DiscoveryServer(DiscoveryConfig config, Builder parts) {
    this.config = config;
    String producerName = "discovery-projector@" + config.instanceId();
    KafkaSettings kafka = parts.kafka();
    this.producer = parts.producers.create(kafka.producer(config.instanceId()));
    this.snapshotProducer = parts.producers.create(kafka.producer(config.instanceId() + "-snapshots"));
    DiscoveryConfig.Caps admits = config.caps();
    this.view = new ClusterProjection(metrics.fanoutListener().andThen(parts.fanoutListener),
        new WatchCaps(admits.maxWatchesPerAddress(), admits.maxWatchesPerCluster()));
    SnapshotStore snapshots = new SnapshotStore(kafka, config.topics().snapshots(), snapshotProducer);
    DeadLetterRouter deadLetters = new DeadLetterRouter(producer, producerName, config.topics().deadLetter());
    this.projection = new ProjectionLoop(kafka, config.instanceId() + "-projection",
        config.topics().events(), snapshots, view, pending, deadLetters);
    metrics.observe(view, projection::lag, pending::size);
    metrics.observeCapacity(view, admits.maxClusters(), admits.maxAffiliates());
    EventAppender appender = new EventAppender(producer, config.topics().events(), metrics.appendLatency());
    this.eventAppender = appender;
    ExpiryPass expiry = new ExpiryPass(view, appender, parts.clock, producerName, metrics::gcPass);
    SnapshotWriter snapshotWriter = new SnapshotWriter(view, snapshots,
        Optional.of(new CheckpointStore(config.topics().checkpoints(), snapshotProducer)), parts.checkpoints, parts.clock);
    this.ownership = new PartitionOwnership(kafka, config.gcGroup(), config.instanceId() + "-gc",
        config.topics().events(), projection::current, List.of(
            Duty.startingAtOnce("expiry", config.gcInterval(), expiry::run),
            Duty.afterOneInterval("snapshots", config.snapshotInterval(), snapshotWriter::write).alsoAtStop()));
    metrics.health(() -> health().live(), () -> health().ready());
    projection.gaveUp().thenAccept(cause -> {
      ownership.release(); // another instance takes expiry now, not after the session timeout
      failure.complete(cause);
    });
    this.ownsVertx = parts.vertx.isEmpty();
    this.vertx = parts.vertx.orElseGet(Vertx::vertx);
    this.limiter = new RateLimiter(config.rateLimit(), config.rateBurst(), System::nanoTime);
    ClientAddress clientAddress = new ClientAddress(config.trustRealIp(), config.trustFirstForwardedFor());
    this.caps = new AddressCaps(config.addressLimits(), clientAddress, metrics);
    RpcCalls calls = new RpcCalls(vertx, limiter, clientAddress, metrics);
    this.clusterApi = new ClusterApi(vertx, view, pending, appender, calls,
        new WriteAdmission(view, admits.maxClusters(), admits.maxAffiliates(), metrics), config.redirect(),
        parts.clock, producerName);
    this.telemetryAppender = new EventAppender(producer, config.topics().telemetry(), metrics.telemetryAppendLatency());
    this.telemetryApi = new TelemetryApi(vertx, telemetryAppender, calls, parts.clock, producerName);
  }

  /** Starts an instance and waits until it serves. */
  public static DiscoveryServer start(DiscoveryConfig config) throws Exception {
    return with(config).start();
  }

  /** An instance to start with some of its parts chosen by the caller; the rest as {@link #start(DiscoveryConfig)}. */
  public static Builder with(DiscoveryConfig config) {
    return new Builder(config);
  }

  /** The parts of an instance a caller may choose; each defaults to what production uses. */
  public static final class Builder {
    private final DiscoveryConfig config;
    private Clock clock = Clock.systemUTC();
    private Optional<Vertx> vertx = Optional.empty();
    private ProducerFactory producers = KafkaProducer::new;
    private FanoutListener fanoutListener = FanoutListener.NONE;
    private Duration topicWait = DiscoveryTopics.DEFAULT_WAIT;
    private KafkaClientConfig kafkaClient = KafkaClientConfig.NONE;
    private boolean allowUnderReplicated;
    private CheckpointPolicy checkpoints = CheckpointPolicy.DEFAULT;

    private Builder(DiscoveryConfig config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /** The time of events (writes, expiries) and the instant expiry passes judge at. */
    public Builder clock(Clock c) {
      clock = Objects.requireNonNull(c, "clock");
      return this;
    }

    /** Serve on this Vert.x instead of a new one; the caller keeps it (the server does not close it). */
    public Builder vertx(Vertx v) {
      vertx = Optional.of(v);
      return this;
    }

    /** How the instance's producers are made (one for events, one for snapshots and checkpoints); the server closes them. */
    public Builder producers(ProducerFactory factory) {
      producers = Objects.requireNonNull(factory, "producers");
      return this;
    }

    /** Told each Watch change's fan-out time, besides the metrics' timer. */
    public Builder fanoutListener(FanoutListener listener) {
      fanoutListener = Objects.requireNonNull(listener, "fanoutListener");
      return this;
    }

    /**
     * Wait at most this long for the topics: the projection assigns itself every partition and
     * the port opens only once all are usable.
     */
    public Builder topicWait(Duration wait) {
      topicWait = Objects.requireNonNull(wait, "topicWait");
      return this;
    }

    /**
     * The operator's Kafka client properties ({@code --kafka-config}: TLS, SASL, timeouts), merged
     * into every producer, consumer and admin client of the instance.
     */
    public Builder kafkaClient(KafkaClientConfig client) {
      kafkaClient = Objects.requireNonNull(client, "kafkaClient");
      return this;
    }

    /**
     * Serve on an events topic with fewer replicas than the cluster allows, rather than refuse to
     * start ({@value DiscoveryTopics#ALLOW_UNDER_REPLICATED_FLAG}).
     */
    public Builder allowUnderReplicated(boolean allow) {
      allowUnderReplicated = allow;
      return this;
    }

    /** When a snapshot is also appended as a time-indexed checkpoint (tests checkpoint every snapshot). */
    public Builder checkpoints(CheckpointPolicy policy) {
      checkpoints = Objects.requireNonNull(policy, "checkpoints");
      return this;
    }

    private KafkaSettings kafka() {
      return new KafkaSettings(config.bootstrap(), kafkaClient);
    }

    /** Starts the instance and waits until it serves. */
    public DiscoveryServer start() throws Exception {
      config.topics().ensure(kafka(), config.partitions(), topicWait, allowUnderReplicated);
      DiscoveryServer s = new DiscoveryServer(config, this);
      try {
        s.startAll();
      } catch (Exception e) {
        s.close();
        throw e;
      }
      return s;
    }
  }

  private void startAll() throws Exception {
    long t0 = System.nanoTime();
    if (config.metricsPort() >= 0) {
      metricsHttp = vertx.createHttpServer(new HttpServerOptions().setHost(config.metricsHost()).setPort(config.metricsPort()))
          .requestHandler(this::metricsPortRequest)
          .listen().await();
    }
    projection.start();
    projection.caughtUp().get(10, TimeUnit.MINUTES);
    LOG.info("projection caught up in {} ms: {} affiliates", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), view.affiliateCount());
    ownership.start();

    GrpcServer grpc = GrpcServer.server(vertx, new GrpcServerOptions().setMaxMessageSize(RpcCalls.MAX_MESSAGE_BYTES));
    grpc.addService(clusterApi);
    grpc.addService(telemetryApi);
    if (config.reflection()) {
      grpc.addService(ReflectionService.v1());
    }
    HttpServerOptions options = new HttpServerOptions().setHost(config.host()).setPort(config.port())
        .setInitialSettings(new Http2Settings().setMaxConcurrentStreams(config.addressLimits().streamsPerConnection()))
        // a client that vanished (rebooted behind its NAT) leaves a connection that only keepalive
        // probes end; until then it counts against its address's connections
        .setTcpKeepAlive(true);
    if (config.certificate().isPresent() && config.key().isPresent()) {
      options.setSsl(true).setUseAlpn(true).setKeyCertOptions(new PemKeyCertOptions()
          .setCertPath(config.certificate().get().toString()).setKeyPath(config.key().get().toString()));
    }
    grpcHttp = vertx.createHttpServer(options)
        .connectionHandler(connection -> {
          if (caps.admit(connection)) {
            FlushBatching.install(connection);
          }
        })
        .requestHandler(req -> route(grpc, req))
        .listen().await();
    sweepTimer = vertx.setPeriodic(60_000, id -> limiter.sweep());
    if (options.isSsl()) {
      certificateTimer = CertificateReloader.watch(vertx, grpcHttp, options.getSslOptions(),
          config.certificate().get(), config.key().get(), CERTIFICATE_LOOK_INTERVAL);
    }
    LOG.info("discovery service {} serving gRPC on {}:{}{}, metrics on {}", config.instanceId(), config.host(), port(),
        config.certificate().isPresent() ? " (TLS)" : " (h2c)", metricsHttp == null ? "off" : metricsHttp.actualPort());
  }

  /** {@code /metrics} (Prometheus) and the health probes. */
  private void metricsPortRequest(HttpServerRequest req) {
    Health h = health();
    switch (req.path()) {
      case "/metrics" -> req.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
          .end(metrics.registry().scrape());
      case "/healthz" -> req.response().setStatusCode(h.live() && h.ready() ? 200 : 503)
          .putHeader("content-type", "application/json").end(h.json());
      case "/healthz/live" -> req.response().setStatusCode(h.live() ? 200 : 503)
          .putHeader("content-type", "text/plain; charset=utf-8").end((h.live() ? "live: " : "not live: ") + h.detail() + "\n");
      case "/healthz/ready" -> req.response().setStatusCode(h.ready() ? 200 : 503)
          .putHeader("content-type", "text/plain; charset=utf-8").end((h.ready() ? "ready: " : "not ready: ") + h.detail() + "\n");
      default -> req.response().setStatusCode(404).end("not found: try /metrics, /healthz, /healthz/live or /healthz/ready\n");
    }
  }

  /** Live and ready, as {@code /healthz} says. */
  Health health() {
    return Health.of(projection.caughtUp().isDone() && !projection.caughtUp().isCompletedExceptionally(),
        projection.folding(), projection.gaveUp().isDone(), stopping, projection.lag());
  }

  /**
   * Completes, with the projection's last failure, when this instance stopped serving on its own:
   * its projection gave up after its restarts, its Watch streams ended with UNAVAILABLE and its
   * partitions are released. The owner then closes it and exits non-zero.
   */
  public CompletableFuture<RuntimeException> failure() {
    return failure;
  }

  /**
   * gRPC goes to the API, once its address may open one more call, with its messages' size
   * checked as they arrive; anything else gets the landing page (reference parity).
   */
  private void route(GrpcServer grpc, HttpServerRequest req) {
    String type = req.getHeader("content-type");
    if (req.version() == io.vertx.core.http.HttpVersion.HTTP_2 && type != null && type.contains("application/grpc")) {
      if (caps.admit(req)) {
        grpc.handle(new GuardedGrpcRequest(req, RpcCalls.maxMessageBytes(req.path()), () -> metrics.refused("message_size")));
      }
      return;
    }
    req.response().putHeader("content-type", "text/plain; charset=utf-8")
        .end("Spanlog discovery service: the Talos discovery API (gRPC, sidero.discovery.server.Cluster), event-sourced on Kafka.\n");
  }

  public int port() {
    return grpcHttp.actualPort();
  }

  public int metricsPort() {
    return metricsHttp == null ? -1 : metricsHttp.actualPort();
  }

  /** The projection, for tests in this package. */
  ClusterProjection view() {
    return view;
  }

  Map<String, ClusterState> state() {
    return view.allClusters();
  }

  /** How many events partitions this instance restored from a snapshot at start-up. */
  public int snapshotsLoaded() {
    return projection.snapshotsLoaded();
  }

  /** Events partitions this instance owns for expiry and snapshots. */
  public Set<Integer> ownedPartitions() {
    return ownership.ownedPartitions();
  }

  String metricsText() {
    return metrics.registry().scrape();
  }

  /** Stops serving; bounded also when Kafka is gone (the at-stop snapshots are then abandoned). Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    stopping = true;
    view.closeAll();
    try {
      if (grpcHttp != null) {
        grpcHttp.close().await(10, TimeUnit.SECONDS);
      }
      if (metricsHttp != null) {
        metricsHttp.close().await(5, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      LOG.warn("closing servers: {}", e.toString());
    }
    vertx.cancelTimer(sweepTimer);
    vertx.cancelTimer(certificateTimer);
    ownership.close();
    projection.close();
    eventAppender.close();
    telemetryAppender.close();
    producer.close(PRODUCER_CLOSE);
    snapshotProducer.close(PRODUCER_CLOSE);
    if (ownsVertx) {
      try {
        vertx.close().await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("closing Vert.x: {}", e.toString());
      }
    }
  }
}
