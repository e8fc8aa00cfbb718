package io.spanlog.agent.telemetry;

import com.google.protobuf.ByteString;
import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.agent.config.DiscoveryTarget;
import io.spanlog.agent.config.NodeConfig;
import io.spanlog.agent.config.TelemetryMode;
import io.spanlog.agent.discovery.DiscoveryConnections;
import io.spanlog.events.HandshakeSampleBatch;
import io.spanlog.events.SealedSampleBatch;
import io.spanlog.telemetry.TelemetrySeal;
import io.spanlog.telemetry.api.ReportRequest;
import io.spanlog.telemetry.api.ReportResponse;
import io.spanlog.telemetry.api.TelemetryGrpcClient;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.client.InvalidStatusException;
import io.vertx.grpc.common.GrpcErrorException;
import io.vertx.grpc.common.GrpcStatus;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one handshake-sample batch per reconcile to {@code spanlog.telemetry.v1.Telemetry/Report},
 * served next to the discovery API, sealed with the cluster secret ({@link TelemetrySeal}): the
 * service stores it opaque, and nobody without the secret can forge one.
 *
 * <p>Where batches go, by {@link TelemetryMode}: {@code off} never sends; {@code auto} (the
 * default) first asks the service with an empty report whether it serves the API, sends only if
 * it does, and asks again after a reconnect (its own failed send, or the discovery client's
 * outage ending); {@code on} sends without asking. Whatever the mode, nothing goes to the public
 * discovery service ({@link DiscoveryTarget#isPublicService()}).
 *
 * <p>While the service cannot be reached, sealed batches wait in a bounded backlog (a count and a
 * byte cap; when full the oldest is dropped, the drops counted and logged once per outage) and
 * are sent oldest first on reconnect, each with its own sample time, so the observer sees the
 * gap. Failures are warned about once until a report succeeds again; they never stop the agent.
 *
 * <p>Threading: {@link #report} may be called from any thread; the reporter's state lives on one
 * Vert.x context.
 */
public final class TelemetryReporter {
  private static final Logger LOG = LoggerFactory.getLogger(TelemetryReporter.class);
  private static final long DEADLINE_MS = 10_000;
  /** Backlog bytes cap: 120 batches of a large cluster (hundreds of peers) fit; memory stays bounded. */
  static final long MAX_BACKLOG_BYTES = 16L * 1024 * 1024;

  /**
   * @param backlogLimit how many sealed batches wait while the service is unreachable
   */
  public record Settings(DiscoveryTarget target, String clusterId, ClusterSecret secret, TelemetryMode mode,
      int backlogLimit) {
    /** An hour of batches at the default 30 s reconcile interval. */
    public static final int DEFAULT_BACKLOG = 120;

    public Settings {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(clusterId, "clusterId");
      Objects.requireNonNull(secret, "secret");
      Objects.requireNonNull(mode, "mode");
      if (backlogLimit < 1) {
        throw new IllegalArgumentException("backlogLimit must be at least 1");
      }
    }

    public static Settings ofNode(NodeConfig c) {
      return new Settings(c.discovery(), c.clusterId(), c.clusterSecret(), c.telemetry(), DEFAULT_BACKLOG);
    }

    public Settings withMode(TelemetryMode m) {
      return new Settings(target, clusterId, secret, m, backlogLimit);
    }

    public Settings withBacklogLimit(int n) {
      return new Settings(target, clusterId, secret, mode, n);
    }
  }

  /** Whether reports are sent, and why not when they are not. */
  public record Status(boolean on, String detail) {}

  /** What the reporter knows of the service. */
  private enum Service { UNKNOWN, SERVED, NOT_SERVED }

  private record Pending(SealedSampleBatch sealed, Promise<Optional<Long>> result) {}

  private final Settings settings;
  private final DiscoveryTarget target;
  /** The endpoint the discovery client uses now: with several, reports follow it. */
  private final Supplier<DiscoveryTarget> inUse;
  private final Vertx vertx;
  /** One client per endpoint reported to (their TLS settings may differ). */
  private final Map<DiscoveryTarget, GrpcClient> clients = new ConcurrentHashMap<>();
  private final TelemetrySeal seal;
  private final Context context;
  private final Deque<Pending> backlog = new ArrayDeque<>();
  private volatile Status status;
  private volatile int backlogSize;
  private volatile long dropped;
  private volatile long probes;
  // on the context only
  private Service service = Service.UNKNOWN;
  private long backlogBytes;
  private long droppedThisOutage;
  private boolean draining;
  private boolean warnedFailure;
  private boolean warnedNotServed;
  private boolean discoveryOutage;

  public TelemetryReporter(Vertx vertx, Settings settings) {
    this(vertx, settings, settings::target);
  }

  /**
   * @param inUse the discovery endpoint to report to now (the one the discovery client uses, of
   *     the node's {@code discovery.endpoints}); {@code settings.target()} is the first
   */
  public TelemetryReporter(Vertx vertx, Settings settings, Supplier<DiscoveryTarget> inUse) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.target = settings.target();
    this.inUse = Objects.requireNonNull(inUse, "inUse");
    this.vertx = vertx;
    this.seal = new TelemetrySeal(settings.secret());
    this.context = vertx.getOrCreateContext();
    if (settings.mode() == TelemetryMode.OFF) {
      status = new Status(false, "off (telemetry: off in the node config)");
    } else if (target.isPublicService()) {
      status = new Status(false, "never sent to the public discovery service " + target
          + " (a cluster's telemetry goes only to a Spanlog discovery service)");
      LOG.info("telemetry off: {} is the public discovery service; handshake samples stay on this node", target);
    } else {
      status = new Status(true, "no report sent yet");
    }
  }

  public Status status() {
    return status;
  }

  /** Sealed batches waiting to be sent. */
  public int backlog() {
    return backlogSize;
  }

  /** Batches dropped from a full backlog since the reporter started. */
  public long dropped() {
    return dropped;
  }

  /** Empty reports sent to ask whether the service serves telemetry. */
  public long probes() {
    return probes;
  }

  private boolean neverSends() {
    return settings.mode() == TelemetryMode.OFF || target.isPublicService() || current().isPublicService();
  }

  private DiscoveryTarget current() {
    return inUse.get();
  }

  /**
   * Seals the batch and sends it, after the backlog, unless telemetry is off. Completes with the
   * batch's offset once appended; empty when it was not sent now (off, not served, or waiting in
   * the backlog for the service to come back).
   */
  public Future<Optional<Long>> report(HandshakeSampleBatch batch) {
    if (neverSends()) {
      return Future.succeededFuture(Optional.empty());
    }
    SealedSampleBatch sealed = seal.seal(settings.clusterId(), batch);
    Promise<Optional<Long>> result = Promise.promise();
    context.runOnContext(v -> enqueue(batch.discoveryReachable(), sealed, result));
    return result.future();
  }

  private void enqueue(boolean discoveryReachable, SealedSampleBatch sealed, Promise<Optional<Long>> result) {
    if (!discoveryReachable) {
      discoveryOutage = true;
    } else if (discoveryOutage) {
      // the discovery client reconnected: the service behind it may have changed, ask again
      discoveryOutage = false;
      if (settings.mode() == TelemetryMode.AUTO) {
        service = Service.UNKNOWN;
      }
    }
    if (service == Service.NOT_SERVED) {
      result.complete(Optional.empty());
      return;
    }
    if (sealed.sealed().size() > TelemetrySeal.MAX_SEALED_BYTES) {
      LOG.warn("telemetry batch not sent: it seals to {} bytes, more than the {} a service accepts",
          sealed.sealed().size(), TelemetrySeal.MAX_SEALED_BYTES);
      result.complete(Optional.empty());
      return;
    }
    backlog.addLast(new Pending(sealed, result));
    backlogBytes += sealed.sealed().size();
    while (backlog.size() > settings.backlogLimit() || backlogBytes > MAX_BACKLOG_BYTES) {
      Pending oldest = backlog.removeFirst();
      backlogBytes -= oldest.sealed().sealed().size();
      oldest.result().tryComplete(Optional.empty());
      dropped++;
      if (droppedThisOutage++ == 0) {
        LOG.warn("telemetry backlog full ({} batches) while {} cannot be reached: dropping the oldest batches "
            + "(counted in the status; logged once until the backlog is sent)", backlog.size(), current());
      }
    }
    backlogSize = backlog.size();
    drain();
  }

  /** Sends the backlog, oldest first, until it is empty or a send fails. */
  private void drain() {
    if (draining) {
      return; // the running drain takes the new batch too
    }
    draining = true;
    step();
  }

  private void step() {
    if (backlog.isEmpty()) {
      finish();
      return;
    }
    if (service == Service.UNKNOWN && settings.mode() == TelemetryMode.AUTO) {
      probes++;
      call(ReportRequest.newBuilder().setClusterId(settings.clusterId()).build()).onComplete(ar -> {
        if (ar.succeeded()) {
          service = Service.SERVED;
          warnedNotServed = false;
          LOG.info("telemetry on: {} serves spanlog.telemetry.v1.Telemetry; sending sealed batches", current());
          step();
        } else if (isUnimplemented(ar.cause())) {
          notServed();
          finish();
        } else {
          failed(ar.cause());
          finish();
        }
      });
      return;
    }
    Pending head = backlog.peekFirst();
    SealedSampleBatch s = head.sealed();
    ReportRequest request = ReportRequest.newBuilder()
        .setClusterId(settings.clusterId())
        .setSchema(s.schema())
        .setNodePublicKey(s.nodePublicKey())
        .setSealedBatch(ByteString.copyFrom(s.sealed().toByteArray()))
        .build();
    call(request).onComplete(ar -> {
      if (ar.succeeded()) {
        removeHead();
        long offset = ar.result().getOffset();
        // status first: whoever waits on the result reads it next
        status = new Status(true, "last report at offset " + offset + dropNote());
        if (warnedFailure) {
          LOG.info("telemetry reports to {} succeed again", current());
          warnedFailure = false;
        }
        if (backlog.isEmpty() && droppedThisOutage > 0) {
          LOG.info("telemetry backlog sent to {}; {} older batches were dropped while it was unreachable", current(),
              droppedThisOutage);
          droppedThisOutage = 0;
        }
        head.result().tryComplete(Optional.of(offset));
        step();
      } else if (statusOf(ar.cause()).filter(c -> c == GrpcStatus.INVALID_ARGUMENT).isPresent()) {
        // this batch will never be accepted: drop it rather than block the backlog behind it
        removeHead();
        head.result().tryComplete(Optional.empty());
        LOG.warn("telemetry batch refused by {}: {}; dropped", current(), ar.cause().getMessage());
        step();
      } else if (isUnimplemented(ar.cause()) && settings.mode() == TelemetryMode.AUTO) {
        notServed();
        finish();
      } else {
        failed(ar.cause());
        finish();
      }
    });
  }

  private void removeHead() {
    Pending head = backlog.removeFirst();
    backlogBytes -= head.sealed().sealed().size();
    backlogSize = backlog.size();
  }

  private void finish() {
    draining = false;
    // the batches still waiting were not sent by this attempt; a later one may send them
    backlog.forEach(p -> p.result().tryComplete(Optional.empty()));
  }

  private void notServed() {
    service = Service.NOT_SERVED;
    status = new Status(false, current() + " does not serve spanlog.telemetry.v1.Telemetry (asked again after a reconnect)");
    backlogBytes = 0;
    backlogSize = 0;
    backlog.forEach(p -> p.result().tryComplete(Optional.empty()));
    backlog.clear();
    if (!warnedNotServed) {
      warnedNotServed = true;
      LOG.warn("telemetry off: {} does not serve spanlog.telemetry.v1.Telemetry (not a Spanlog discovery service, "
          + "or an older one); handshake samples stay local; asking again after a reconnect", current());
    }
  }

  private void failed(Throwable e) {
    Optional<GrpcStatus> code = statusOf(e);
    if (code.isEmpty() && settings.mode() == TelemetryMode.AUTO) {
      service = Service.UNKNOWN; // a transport failure: after the reconnect, ask again
    }
    String why = code.map(c -> c + (e.getMessage() == null ? "" : ": " + e.getMessage()))
        .orElse(DiscoveryConnections.describe(e, current()));
    status = new Status(true, backlog.size() + " batches waiting: " + why + dropNote());
    if (!warnedFailure) {
      warnedFailure = true;
      LOG.warn("telemetry report to {} failed: {} (batches wait in a backlog of at most {}; warning once until it "
          + "works again)", current(), why, settings.backlogLimit());
    }
  }

  private String dropNote() {
    return dropped == 0 ? "" : "; " + dropped + " batches dropped from a full backlog so far";
  }

  private Future<ReportResponse> call(ReportRequest request) {
    DiscoveryTarget to = current();
    GrpcClient grpc = clients.computeIfAbsent(to, t -> GrpcClient.client(vertx,
        new GrpcClientOptions().setScheduleDeadlineAutomatically(true), DiscoveryConnections.httpOptions(t)));
    return grpc.request(SocketAddress.inetSocketAddress(to.port(), to.host()), TelemetryGrpcClient.Report)
        .compose(req -> {
          req.timeout(DEADLINE_MS, TimeUnit.MILLISECONDS);
          return req.send(request).compose(GrpcClientResponse::last);
        });
  }

  public Future<Void> close() {
    return Future.all(clients.values().stream().map(GrpcClient::close).toList()).mapEmpty();
  }

  private static boolean isUnimplemented(Throwable e) {
    return statusOf(e).filter(c -> c == GrpcStatus.UNIMPLEMENTED).isPresent();
  }

  private static Optional<GrpcStatus> statusOf(Throwable e) {
    if (e instanceof InvalidStatusException s) {
      return Optional.of(s.actualStatus());
    }
    if (e instanceof GrpcErrorException g) {
      return Optional.of(g.status());
    }
    return Optional.empty();
  }
}
