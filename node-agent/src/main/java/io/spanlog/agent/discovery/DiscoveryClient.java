package io.spanlog.agent.discovery;

import io.spanlog.affiliate.AffiliateCrypto;
import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.agent.config.DiscoveryTarget;
import io.spanlog.agent.status.HarvestedEndpoint;
import io.spanlog.discovery.api.AffiliateUpdateRequest;
import io.spanlog.discovery.api.ClusterGrpcClient;
import io.spanlog.discovery.api.HelloRequest;
import io.spanlog.discovery.api.HelloResponse;
import io.spanlog.discovery.api.WatchRequest;
import io.spanlog.discovery.api.WatchResponse;
import io.spanlog.net.Endpoint;
import io.spanlog.net.IpText;
import io.spanlog.text.PrintableText;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.ServiceMethod;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The discovery client of a node (discovery-api.md, section 13), over Vert.x gRPC: Hello (public
 * IP, redirect), Watch with reconnect and backoff, refresh of the own affiliate and harvested
 * endpoints on change and every TTL/2, and AffiliateDelete on leave.
 *
 * <p>All state lives on one Vert.x context; public methods may be called from any thread. The
 * logic of applying Watch messages is {@link WatchFold}; what a refresh sends is {@link
 * RefreshPlan}; this class only drives the connection.
 */
public final class DiscoveryClient {
  private static final Logger LOG = LoggerFactory.getLogger(DiscoveryClient.class);
  private static final long HELLO_DEADLINE_MS = 10_000;
  private static final long REFRESH_DEADLINE_MS = 30_000;
  /** Above the 4 MiB gRPC default: a cluster filled to every server limit needs ~4.4 MiB. */
  private static final long MAX_MESSAGE_BYTES = 8L * 1024 * 1024;

  /**
   * @param ttl the lifetime of each submission (Talos: 30 min, the server maximum)
   * @param clientVersion reported in Hello, e.g. {@value #CLIENT_VERSION}
   */
  public record Settings(
      DiscoveryTarget target, String clusterId, String selfId, ClusterSecret secret, Duration ttl, String clientVersion) {
    public Settings {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(clusterId, "clusterId");
      Objects.requireNonNull(selfId, "selfId");
      Objects.requireNonNull(secret, "secret");
      Objects.requireNonNull(ttl, "ttl");
      Objects.requireNonNull(clientVersion, "clientVersion");
    }

    /** What Talos asks for each submission, and the server's maximum. */
    public static final Duration TALOS_TTL = Duration.ofMinutes(30);
    /** What a Spanlog agent says it is in Hello. */
    public static final String CLIENT_VERSION = "spanlog-0.1.0";

    /** A node agent's settings: Talos's TTL and Spanlog's client version. */
    public static Settings ofNode(DiscoveryTarget target, String clusterId, String nodeId, ClusterSecret secret) {
      return new Settings(target, clusterId, nodeId, secret, TALOS_TTL, CLIENT_VERSION);
    }
  }

  private final Vertx vertx;
  private final Settings settings;
  private final DiscoveryEvents events;
  private final AffiliateCrypto crypto;
  private final WatchFold fold;
  private final Backoff backoff = new Backoff(new Random());
  private final Clock clock;
  private final Context context;

  // state below: touched on the context only (published fields are volatile for readers)
  private DiscoveryTarget target;
  private GrpcClient grpc;
  private long generation;
  private GrpcClientRequest<WatchRequest, WatchResponse> watchRequest;
  private long refreshTimer = -1;
  private boolean stopped;
  private boolean leaving;
  private Optional<LocalAffiliate> local = Optional.empty();
  private Map<String, List<Endpoint>> harvested = Map.of();
  private RefreshPlan.Sent lastSent = RefreshPlan.Sent.NOTHING;
  private boolean refreshing;
  private boolean refreshAgain;
  private Future<Void> inFlight = Future.succeededFuture();

  private volatile ClusterView view = ClusterView.empty();
  private volatile Reachability reachability;
  private volatile Optional<InetAddress> publicIp = Optional.empty();

  public DiscoveryClient(Vertx vertx, Settings settings, DiscoveryEvents events) {
    this(vertx, settings, events, Clock.systemUTC());
  }

  public DiscoveryClient(Vertx vertx, Settings settings, DiscoveryEvents events, Clock clock) {
    this.vertx = vertx;
    this.settings = settings;
    this.events = Objects.requireNonNull(events, "events");
    this.clock = clock;
    this.crypto = new AffiliateCrypto(settings.secret());
    this.fold = new WatchFold(crypto, settings.selfId());
    this.target = settings.target();
    this.reachability = new Reachability(Reachability.State.CONNECTING, clock.instant(), "not started");
    this.context = vertx.getOrCreateContext();
  }

  /** Starts the connection loop; returns at once. */
  public void start() {
    context.runOnContext(v -> connect());
  }

  /** Sets what this node publishes; sent now if it differs from what was sent last. */
  public void publish(LocalAffiliate affiliate) {
    context.runOnContext(v -> {
      local = Optional.of(affiliate);
      refresh(false);
    });
  }

  /** Sets the endpoints harvested for peers; sent now if they changed. */
  public void publishHarvested(List<HarvestedEndpoint> endpoints) {
    Map<String, List<Endpoint>> grouped = RefreshPlan.group(endpoints);
    context.runOnContext(v -> {
      harvested = grouped;
      refresh(false);
    });
  }

  /**
   * Deletes this node's affiliate (node leaves the cluster) and stops publishing it. The delete
   * goes out after an update already in flight has been answered, so that update cannot land
   * after it and bring the affiliate back. If the service refuses, publishing resumes at the next
   * {@link #publish}.
   */
  public Future<Void> leave() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      leaving = true;
      local = Optional.empty();
      inFlight.<Void>transform(previous -> {
            ensureClient();
            return stub().affiliateDelete(RefreshPlan.delete(settings.clusterId(), settings.selfId()))
                .timeout(REFRESH_DEADLINE_MS, TimeUnit.MILLISECONDS)
                .mapEmpty();
          })
          .onFailure(e -> leaving = false)
          .onComplete(done);
    });
    return done.future();
  }

  public Future<Void> stop() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      stopped = true;
      dropConnection();
      setReachability(Reachability.State.STOPPED, "stopped");
      done.complete();
    });
    return done.future();
  }

  public ClusterView view() {
    return view;
  }

  public Reachability reachability() {
    return reachability;
  }

  /** The client IP the discovery service last reported in Hello. */
  public Optional<InetAddress> publicIp() {
    return publicIp;
  }

  private void scheduleReconnect() {
    if (stopped) {
      return;
    }
    long delay = Math.max(1, backoff.next().toMillis());
    vertx.setTimer(delay, t -> connect());
  }

  private void connect() {
    if (stopped) {
      return;
    }
    dropConnection();
    long gen = ++generation;
    setReachability(Reachability.State.CONNECTING, "connecting to " + target);
    ensureClient();
    call(ClusterGrpcClient.Hello,
            HelloRequest.newBuilder().setClusterId(settings.clusterId()).setClientVersion(settings.clientVersion()).build(),
            HELLO_DEADLINE_MS)
        .onComplete(ar -> {
          if (gen != generation || stopped) {
            return;
          }
          if (ar.failed()) {
            fail("Hello to " + target + " failed: " + describe(ar.cause()));
            dropConnection(); // a fresh connection next time, as Talos does
            scheduleReconnect();
            return;
          }
          HelloResponse hello = ar.result();
          if (hello.hasRedirect()) {
            redirect(hello.getRedirect().getEndpoint());
            return;
          }
          publicIp = hello.getClientIp().isEmpty()
              ? Optional.empty()
              : Optional.of(IpText.fromBytes(hello.getClientIp().toByteArray()));
          openWatch(gen);
        });
  }

  private void redirect(String endpoint) {
    try {
      DiscoveryTarget next = DiscoveryTarget.parse((target.tls() ? "https://" : "http://") + endpoint)
          .withCaFile(target.caFile());
      LOG.info("discovery service {} redirects to {}", target, next);
      target = next;
    } catch (IllegalArgumentException e) {
      fail("redirect to unusable target '" + endpoint + "': " + e.getMessage());
    }
    dropConnection();
    scheduleReconnect();
  }

  private void openWatch(long gen) {
    grpc.request(SocketAddress.inetSocketAddress(target.port(), target.host()), ClusterGrpcClient.Watch)
        .compose(req -> {
          if (gen != generation) {
            req.cancel();
            return Future.failedFuture("superseded");
          }
          watchRequest = req;
          return req.send(WatchRequest.newBuilder().setClusterId(settings.clusterId()).build());
        })
        .onComplete(ar -> {
          if (gen != generation || stopped) {
            return;
          }
          if (ar.failed()) {
            fail("Watch on " + target + " failed: " + describe(ar.cause()));
            scheduleReconnect();
            return;
          }
          GrpcClientResponse<WatchRequest, WatchResponse> stream = ar.result();
          boolean[] first = {true};
          stream.handler(message -> {
            if (gen != generation) {
              return;
            }
            WatchFold.Applied applied = fold.apply(view, message, first[0]);
            applied.skipped().forEach(s -> LOG.warn("skipped affiliate {}: {}", PrintableText.of(s.affiliateId()),
                PrintableText.of(s.reason())));
            if (first[0]) {
              first[0] = false;
              setReachability(Reachability.State.WATCHING, "watching " + target);
              startRefreshing();
            }
            if (applied.changed()) {
              view = applied.view();
              events.onViewChanged(applied.view());
            }
          });
          stream.exceptionHandler(e -> streamEnded(gen, "Watch stream broke: " + describe(e)));
          stream.endHandler(v -> streamEnded(gen, "Watch stream ended with status "
              + stream.status() + (stream.statusMessage() == null ? "" : " (" + stream.statusMessage() + ")")));
        });
  }

  private void streamEnded(long gen, String why) {
    if (gen != generation || stopped) {
      return;
    }
    fail(why);
    dropConnection();
    scheduleReconnect();
  }

  private void startRefreshing() {
    long period = Math.max(1, settings.ttl().toMillis() / 2);
    refreshTimer = vertx.setPeriodic(period, t -> refresh(true));
    refresh(true);
  }

  private void refresh(boolean force) {
    if (stopped || generation == 0 || reachability.state() != Reachability.State.WATCHING) {
      return; // sent after the next (re)connect
    }
    if (leaving || local.isEmpty()) {
      return;
    }
    if (!force && !RefreshPlan.changed(lastSent, local, harvested)) {
      return;
    }
    if (refreshing) {
      refreshAgain = true;
      return;
    }
    refreshing = true;
    long gen = generation;
    LocalAffiliate sending = local.get();
    Map<String, List<Endpoint>> sendingHarvest = harvested;
    List<AffiliateUpdateRequest> requests = RefreshPlan.updates(
        settings.clusterId(), settings.selfId(), sending, sendingHarvest, settings.ttl(), crypto);
    events.onAffiliateSent();
    long deadline = System.currentTimeMillis() + REFRESH_DEADLINE_MS;
    Future<Void> chain = Future.succeededFuture();
    for (AffiliateUpdateRequest r : requests) {
      chain = chain.compose(v -> call(ClusterGrpcClient.AffiliateUpdate, r,
          Math.max(1, deadline - System.currentTimeMillis())).mapEmpty());
    }
    inFlight = chain.otherwiseEmpty();
    chain.onComplete(ar -> {
      refreshing = false;
      if (gen != generation) {
        return;
      }
      if (ar.failed()) {
        streamEnded(gen, "refresh failed: " + describe(ar.cause()));
        return;
      }
      lastSent = new RefreshPlan.Sent(Optional.of(sending), sendingHarvest);
      backoff.reset();
      if (refreshAgain) {
        refreshAgain = false;
        refresh(false);
      }
    });
  }

  private <Q, R> Future<R> call(ServiceMethod<R, Q> method, Q request, long deadlineMs) {
    return grpc.request(SocketAddress.inetSocketAddress(target.port(), target.host()), method)
        .compose(req -> {
          req.timeout(deadlineMs, TimeUnit.MILLISECONDS);
          return req.send(request).compose(GrpcClientResponse::last);
        });
  }

  private ClusterGrpcClient stub() {
    return ClusterGrpcClient.create(grpc, SocketAddress.inetSocketAddress(target.port(), target.host()));
  }

  private void ensureClient() {
    if (grpc != null) {
      return;
    }
    var http = DiscoveryConnections.httpOptions(target);
    var options = new GrpcClientOptions().setScheduleDeadlineAutomatically(true).setMaxMessageSize(MAX_MESSAGE_BYTES);
    grpc = GrpcClient.client(vertx, options, http);
  }

  private void dropConnection() {
    if (refreshTimer >= 0) {
      vertx.cancelTimer(refreshTimer);
      refreshTimer = -1;
    }
    if (watchRequest != null) {
      watchRequest.cancel();
      watchRequest = null;
    }
    if (grpc != null) {
      grpc.close();
      grpc = null;
    }
    generation++;
  }

  private void fail(String reason) {
    String why = PrintableText.of(reason); // may quote what the service sent (a redirect target)
    LOG.warn("discovery: {}", why);
    setReachability(Reachability.State.FAILING, why);
  }

  private void setReachability(Reachability.State state, String detail) {
    reachability = new Reachability(state, clock.instant(), detail);
  }

  private String describe(Throwable e) {
    if (e instanceof io.vertx.grpc.client.InvalidStatusException s) {
      return "status " + s.actualStatus();
    }
    if (e instanceof io.vertx.grpc.common.GrpcErrorException g) {
      return "status " + g.status() + (g.getMessage() == null ? "" : ": " + g.getMessage());
    }
    return DiscoveryConnections.describe(e, target);
  }
}
