package io.spanlog.discovery.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.spanlog.discovery.expiry.ExpiryPass;
import io.spanlog.discovery.projection.ClusterProjection;
import io.spanlog.discovery.projection.FanoutListener;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prometheus metrics: the reference service's names (dashboards keep working), gRPC server
 * metrics in the usual go-grpc-prometheus shape, and Spanlog's own {@code spanlog_*}.
 *
 * <p>Its own package so that the RPC layer and the server that wires it both depend on it, and it
 * on neither.
 */
public final class DiscoveryMetrics {
  /** From this share of a cap on, {@code spanlog_discovery_capacity_near} is 1. */
  static final double NEAR_CAP = 0.9;
  private static final Pattern VERSION = Pattern.compile("^v(\\d+)\\.(\\d+)\\.(\\d+)(.*)$");
  /**
   * The newest Talos minor with a label of its own. Talos ships about three minors a year and was
   * at v1.11–v1.12 when this was set; the few beyond keep the next releases labelled until this
   * grows. A newer one counts as {@code other} meanwhile.
   */
  static final int NEWEST_TALOS_MINOR = 15;

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter gcRuns;
  private final Counter gcClusters;
  private final Counter gcAffiliates;
  private final Timer appendLatency;
  private final Timer telemetryAppendLatency;
  private final Timer watchFanout;
  private final java.util.concurrent.ConcurrentMap<GrpcKey, Counter> grpcMeters = new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.concurrent.ConcurrentMap<GrpcKey, Timer> grpcTimers = new java.util.concurrent.ConcurrentHashMap<>();

  public DiscoveryMetrics() {
    gcRuns = Counter.builder("discovery.state.gc.runs").description("GC passes").register(registry);
    gcClusters = Counter.builder("discovery.state.gc.clusters").description("clusters emptied by GC").register(registry);
    gcAffiliates = Counter.builder("discovery.state.gc.affiliates").description("affiliates expired by GC").register(registry);
    appendLatency = Timer.builder("spanlog.discovery.append.latency")
        .description("time from send to durable acknowledgement of an event")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(100_000))
        .maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry);
    telemetryAppendLatency = Timer.builder("spanlog.telemetry.append.latency")
        .description("time from send to durable acknowledgement of a telemetry report")
        .register(registry);
    watchFanout = Timer.builder("spanlog.discovery.watch.fanout")
        .description("time from applying an event to the last write of its change to every Watch stream of the cluster")
        .register(registry);
  }

  /**
   * Gauges over the projection and the writes waiting for it; registered once both exist (the
   * projection is built with {@link #fanoutListener()}, so it comes after this object).
   */
  public void observe(ClusterProjection view, LongSupplier lag, LongSupplier pendingWrites) {
    Gauge.builder("discovery.state.clusters", view, ClusterProjection::clusterCount)
        .description("clusters with affiliates or watchers").register(registry);
    Gauge.builder("discovery.state.affiliates", view, ClusterProjection::affiliateCount)
        .description("affiliates in all clusters").register(registry);
    Gauge.builder("discovery.state.endpoints", view, ClusterProjection::endpointCount)
        .description("endpoints of all affiliates").register(registry);
    Gauge.builder("discovery.state.subscriptions", view, ClusterProjection::subscriptionCount)
        .description("open Watch streams").register(registry);
    Gauge.builder("spanlog.discovery.projection.lag", lag::getAsLong)
        .description("records on the events topic not yet folded into this instance's view")
        .register(registry);
    Gauge.builder("spanlog.discovery.pending.writes", pendingWrites::getAsLong)
        .description("write RPCs waiting for their event to be applied").register(registry);
  }

  /** {@code spanlog_discovery_live} and {@code _ready}: 1 or 0, as {@code /healthz} answers. */
  public void health(BooleanSupplier live, BooleanSupplier ready) {
    Gauge.builder("spanlog.discovery.live", () -> live.getAsBoolean() ? 1 : 0)
        .description("1 while the projection follows the event log; 0 once it stopped (the process then exits)")
        .register(registry);
    Gauge.builder("spanlog.discovery.ready", () -> ready.getAsBoolean() ? 1 : 0)
        .description("1 while this instance serves current data: caught up, following the log, not stopping")
        .register(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public Timer appendLatency() {
    return appendLatency;
  }

  public Timer telemetryAppendLatency() {
    return telemetryAppendLatency;
  }

  /** Records each Watch change's fan-out time (applied → last stream write) in {@code spanlog_discovery_watch_fanout}. */
  public FanoutListener fanoutListener() {
    return (change, streams, appliedNanos, lastWrittenNanos) -> watchFanout.record(lastWrittenNanos - appliedNanos, TimeUnit.NANOSECONDS);
  }

  public void hello(String clientVersion) {
    registry.counter("discovery.server.hello.requests", "client_version", normalizeVersion(clientVersion)).increment();
  }

  public void gcPass(ExpiryPass.Result pass) {
    gcRuns.increment();
    gcClusters.increment(pass.clustersEmptied());
    gcAffiliates.increment(pass.affiliatesExpired());
  }

  public void grpcStarted(String service, String method, String type) {
    grpcMeters.computeIfAbsent(new GrpcKey("started", service, method, type, ""), k -> registry.counter("grpc.server.started",
        "grpc_service", service, "grpc_method", method, "grpc_type", type)).increment();
  }

  public void grpcHandled(String service, String method, String type, String code, long nanos) {
    grpcMeters.computeIfAbsent(new GrpcKey("handled", service, method, type, code), k -> registry.counter("grpc.server.handled",
        "grpc_service", service, "grpc_method", method, "grpc_type", type, "grpc_code", code)).increment();
    grpcTimers.computeIfAbsent(new GrpcKey("handling", service, method, type, ""), k -> Timer.builder("grpc.server.handling")
        .tags("grpc_service", service, "grpc_method", method, "grpc_type", type).register(registry)).record(nanos, TimeUnit.NANOSECONDS);
  }

  public void grpcMessage(String service, String direction, String method, String type) {
    grpcMeters.computeIfAbsent(new GrpcKey("msg." + direction, service, method, type, ""), k -> registry.counter("grpc.server.msg." + direction,
        "grpc_service", service, "grpc_method", method, "grpc_type", type)).increment();
  }

  /**
   * Which gRPC meter: the registry's own lookup builds and sorts tags and a meter id per call,
   * four times per RPC, which was a visible share of an AffiliateUpdate's CPU time.
   */
  private record GrpcKey(String meter, String service, String method, String type, String code) {}

  /**
   * How full this instance is against its caps (issue 14): {@code spanlog_discovery_capacity_used_ratio}
   * per resource, and {@code spanlog_discovery_capacity_near} at 1 from 90 % on, what an alert
   * watches; plus the Watch snapshots serialized and the snapshot bytes handed to streams.
   */
  public void observeCapacity(ClusterProjection view, int maxClusters, int maxAffiliates) {
    capacity("clusters", () -> (double) view.clustersWithAffiliates() / maxClusters);
    capacity("affiliates", () -> (double) view.affiliateCount() / maxAffiliates);
    Gauge.builder("spanlog.discovery.capacity.limit", () -> maxClusters).tag("resource", "clusters")
        .description("the cap this instance admits writes under").register(registry);
    Gauge.builder("spanlog.discovery.capacity.limit", () -> maxAffiliates).tag("resource", "affiliates")
        .description("the cap this instance admits writes under").register(registry);
    FunctionCounter.builder("spanlog.discovery.watch.snapshots.built", view, ClusterProjection::snapshotsBuilt)
        .description("Watch snapshots serialized; streams opening on the same cluster state share one").register(registry);
    FunctionCounter.builder("spanlog.discovery.watch.snapshot.bytes", view, ClusterProjection::snapshotBytesSent)
        .description("Watch snapshot bytes handed to streams, as fast as each stream's flow control lets them go").register(registry);
  }

  private void capacity(String resource, java.util.function.DoubleSupplier used) {
    Gauge.builder("spanlog.discovery.capacity.used.ratio", used::getAsDouble).tag("resource", resource)
        .description("share of this instance's cap in use").register(registry);
    Gauge.builder("spanlog.discovery.capacity.near", () -> used.getAsDouble() >= NEAR_CAP ? 1 : 0).tag("resource", resource)
        .description("1 when the instance is at 90 % of its cap or more: new clusters or affiliates will soon be refused")
        .register(registry);
  }

  /** A write refused because this instance is at its cap of {@code resource}. */
  public void capacityRefused(String resource) {
    registry.counter("spanlog.discovery.capacity.refused", "resource", resource).increment();
  }

  /** A Watch refused by the per-address or per-cluster cap ({@code reason}). */
  public void watchRefused(String reason) {
    registry.counter("spanlog.discovery.watch.refused", "reason", reason).increment();
  }

  /**
   * The {@code client_version} label, from a fixed set whatever clients send: the label is read
   * from a request, and every new value would be a new time series kept for ever.
   *
   * <p>A Talos version of a known minor ({@code v1.0} … {@code v1.}{@value #NEWEST_TALOS_MINOR})
   * keeps its minor as the reference does: {@code v1.8.3} → {@code v1.8}, with any suffix
   * {@code v1.8-pre}. Any other {@code vX.Y.Z…} is {@code other}, Spanlog's agents
   * ({@code spanlog-…}) are {@code spanlog}, and anything else {@code unknown}.
   */
  static String normalizeVersion(String version) {
    String v = version == null ? "" : version;
    Matcher m = VERSION.matcher(v);
    if (!m.matches()) {
      return v.startsWith("spanlog") ? "spanlog" : "unknown";
    }
    if (!m.group(1).equals("1") || m.group(2).length() > 2 || Integer.parseInt(m.group(2)) > NEWEST_TALOS_MINOR) {
      return "other";
    }
    String base = "v1." + Integer.parseInt(m.group(2));
    return m.group(4).isEmpty() ? base : base + "-pre";
  }

  /** Every value {@link #normalizeVersion} can return. */
  static java.util.Set<String> versionLabels() {
    java.util.Set<String> labels = new java.util.TreeSet<>(java.util.List.of("other", "spanlog", "unknown"));
    for (int minor = 0; minor <= NEWEST_TALOS_MINOR; minor++) {
      labels.add("v1." + minor);
      labels.add("v1." + minor + "-pre");
    }
    return labels;
  }

  /** A call or connection refused before it was served, by reason (the admission's caps). */
  public void refused(String reason) {
    registry.counter("spanlog.discovery.refused", "reason", reason).increment();
  }
}
