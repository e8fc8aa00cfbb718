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
import java.net.InetSocketAddress;
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
 * <p>A node may list several discovery endpoints, and a name may resolve to several addresses
 * ({@link DiscoveryRotation}): when Hello fails, the Watch stream breaks or ends, or a refresh
 * fails, the client moves to the next one, says Hello there, takes a fresh snapshot (the first
 * Watch message replaces the view, so nothing written meanwhile is missed) and publishes there.
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
   * @param targets the discovery endpoints, in the order they are tried (at least one)
   * @param ttl the lifetime of each submission (Talos: 30 min, the server maximum)
   * @param clientVersion reported in Hello, e.g. {@value #CLIENT_VERSION}
   */
  public record Settings(
      List<DiscoveryTarget> targets, String clusterId, String selfId, ClusterSecret secret, Duration ttl,
      String clientVersion) {
    public Settings {
      targets = List.copyOf(targets);
      if (targets.isEmpty()) {
        throw new IllegalArgumentException("no discovery endpoint");
      }
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

    /** One discovery endpoint. */
    public Settings(DiscoveryTarget target, String clusterId, String selfId, ClusterSecret secret, Duration ttl,
        String clientVersion) {
      this(List.of(target), clusterId, selfId, secret, ttl, clientVersion);
    }

    /** A node agent's settings: Talos's TTL and Spanlog's client version. */
    public static Settings ofNode(List<DiscoveryTarget> targets, String clusterId, String nodeId, ClusterSecret secret) {
      return new Settings(targets, clusterId, nodeId, secret, TALOS_TTL, CLIENT_VERSION);
    }

    /** The first endpoint. */
    public DiscoveryTarget target() {
      return targets.get(0);
    }
  }

  private final Vertx vertx;
  private final Settings settings;
  private final DiscoveryEvents events;
  private final AffiliateCrypto crypto;
  private final WatchFold fold;
  private final Backoff backoff = new Backoff(new Random());
  private volatile boolean outage;
  private final Clock clock;
  private final Context context;
  private final DiscoveryRotation.Resolver resolver;

  // state below: touched on the context only (published fields are volatile for readers)
  private final DiscoveryRotation rotation;
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
  private boolean refreshAgainForced;
  private Future<Void> inFlight = Future.succeededFuture();

  private volatile ClusterView view = ClusterView.empty();
  private volatile Reachability reachability;
  private volatile Optional<InetAddress> publicIp = Optional.empty();
  private volatile DiscoveryRotation.Place inUse;

  public DiscoveryClient(Vertx vertx, Settings settings, DiscoveryEvents events) {
    this(vertx, settings, events, Clock.systemUTC());
  }

  public DiscoveryClient(Vertx vertx, Settings settings, DiscoveryEvents events, Clock clock) {
    this(vertx, settings, events, clock, DiscoveryRotation.Resolver.SYSTEM);
  }

  /** @param resolver how endpoint host names become addresses (tests give names their own addresses) */
  public DiscoveryClient(Vertx vertx, Settings settings, DiscoveryEvents events, Clock clock,
      DiscoveryRotation.Resolver resolver) {
    this.vertx = vertx;
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    this.settings = settings;
    this.events = Objects.requireNonNull(events, "events");
    this.clock = clock;
    this.crypto = new AffiliateCrypto(settings.secret());
    this.fold = new WatchFold(crypto, settings.selfId());
    this.rotation = new DiscoveryRotation(settings.targets());
    this.inUse = rotation.place();
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

  /**
   * Sets the endpoints harvested for peers; of those, only the ones no one lists yet (or that this
   * node publishes already) are published ({@link HarvestPublication}), and a new one is sent now.
   */
  public void publishHarvested(List<HarvestedEndpoint> endpoints) {
    Map<String, List<Endpoint>> grouped = RefreshPlan.group(endpoints);
    context.runOnContext(v -> {
      harvested = HarvestPublication.select(grouped, view, harvested);
      refresh(false);
    });
  }

  /** The harvested endpoints this node publishes, by affiliate id (a copy, for tests and views). */
  public Future<Map<String, List<Endpoint>>> publishedHarvest() {
    Promise<Map<String, List<Endpoint>>> out = Promise.promise();
    context.runOnContext(v -> out.complete(Map.copyOf(harvested)));
    return out.future();
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
      List<DiscoveryRotation.Place> places = new java.util.ArrayList<>(List.of(inUse));
      settings.targets().stream().filter(t -> !t.equals(inUse.target()))
          .forEach(t -> places.add(new DiscoveryRotation.Place(t, Optional.empty())));
      inFlight.<Void>transform(previous -> deleteAffiliate(places, 0))
          .onFailure(e -> leaving = false)
          .onComplete(done);
    });
    return done.future();
  }

  /**
   * AffiliateDelete at {@code places[i]}; when that fails, at the next one (the endpoint in use
   * first, then every other configured one: it may have just died, and all write to one log).
   */
  private Future<Void> deleteAffiliate(List<DiscoveryRotation.Place> places, int i) {
    DiscoveryRotation.Place place = places.get(i);
    GrpcClient client = GrpcClient.client(vertx, grpcOptions(), DiscoveryConnections.httpOptions(place.target()));
    Future<Void> deleted = ClusterGrpcClient.create(client, socketAddress(place))
        .affiliateDelete(RefreshPlan.delete(settings.clusterId(), settings.selfId()))
        .timeout(REFRESH_DEADLINE_MS, TimeUnit.MILLISECONDS)
        .<Void>mapEmpty()
        .eventually(() -> client.close());
    if (i + 1 >= places.size()) {
      return deleted;
    }
    return deleted.recover(e -> {
      LOG.warn("discovery: deleting the affiliate at {} failed: {}; trying {}", place, describe(e, place.target()),
          places.get(i + 1));
      return deleteAffiliate(places, i + 1);
    });
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

  /**
   * Whether this node is cut off from discovery: an attempt failed and no Watch has been up
   * since. Connecting for the first time is not an outage (the samples of an agent's first
   * seconds would otherwise tell the history it could not reach the service); reconnecting after
   * a failure still is.
   */
  public boolean outage() {
    return outage;
  }

  /** The discovery endpoint in use (or being tried), with the address of its name when resolved here. */
  public DiscoveryRotation.Place inUse() {
    return inUse;
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

  /**
   * After a failure: the next endpoint (or address) at once, unless every one has failed in this
   * round; then the backoff first.
   */
  private void moveOn() {
    if (stopped) {
      return;
    }
    DiscoveryRotation.Place failed = rotation.place();
    if (rotation.next()) {
      scheduleReconnect();
      return;
    }
    LOG.info("discovery: moving from {} to {}", failed, rotation.target());
    context.runOnContext(v -> connect());
  }

  private void connect() {
    if (stopped) {
      return;
    }
    dropConnection();
    long gen = ++generation;
    inUse = rotation.place();
    setReachability(Reachability.State.CONNECTING, "connecting to " + inUse);
    if (!rotation.needsResolving()) {
      hello(gen);
      return;
    }
    String host = rotation.target().host();
    vertx.executeBlocking(() -> resolver.resolve(host)).onComplete(ar -> {
      if (gen != generation || stopped) {
        return;
      }
      if (ar.failed() || ar.result().isEmpty()) {
        fail("cannot resolve " + host + ": "
            + (ar.failed() ? String.valueOf(ar.cause().getMessage()) : "no address"));
        moveOn();
        return;
      }
      rotation.resolved(ar.result());
      inUse = rotation.place();
      hello(gen);
    });
  }

  private void hello(long gen) {
    ensureClient();
    call(ClusterGrpcClient.Hello,
            HelloRequest.newBuilder().setClusterId(settings.clusterId()).setClientVersion(settings.clientVersion()).build(),
            HELLO_DEADLINE_MS)
        .onComplete(ar -> {
          if (gen != generation || stopped) {
            return;
          }
          if (ar.failed()) {
            fail("Hello to " + inUse + " failed: " + describe(ar.cause()));
            dropConnection(); // a fresh connection next time, as Talos does
            moveOn();
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
    DiscoveryTarget target = rotation.target();
    try {
      DiscoveryTarget next = DiscoveryTarget.parse((target.tls() ? "https://" : "http://") + endpoint)
          .withCaFile(target.caFile());
      LOG.info("discovery service {} redirects to {}", target, next);
      rotation.redirect(next);
    } catch (IllegalArgumentException e) {
      fail("redirect to unusable target '" + endpoint + "': " + e.getMessage());
    }
    dropConnection();
    scheduleReconnect();
  }

  private void openWatch(long gen) {
    grpc.request(socketAddress(inUse), ClusterGrpcClient.Watch)
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
            fail("Watch on " + inUse + " failed: " + describe(ar.cause()));
            dropConnection();
            moveOn();
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
              rotation.worked();
              setReachability(Reachability.State.WATCHING, "watching " + inUse);
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
    fail(why + " (" + inUse + ")");
    dropConnection();
    moveOn();
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
    RefreshPlan.Due due = RefreshPlan.due(lastSent, local, harvested, force);
    if (due.isEmpty()) {
      return;
    }
    if (refreshing) {
      refreshAgain = true;
      refreshAgainForced |= force; // a TTL refresh behind a change still refreshes everything
      return;
    }
    refreshing = true;
    long gen = generation;
    LocalAffiliate sending = local.get();
    Map<String, List<Endpoint>> sendingHarvest = harvested;
    List<AffiliateUpdateRequest> requests = RefreshPlan.updates(
        settings.clusterId(), settings.selfId(), sending, sendingHarvest, due, settings.ttl(), crypto);
    if (due.own()) {
      events.onAffiliateSent();
    }
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
      lastSent = RefreshPlan.afterSending(lastSent, Optional.of(sending), sendingHarvest, due);
      backoff.reset();
      if (refreshAgain) {
        boolean forced = refreshAgainForced;
        refreshAgain = false;
        refreshAgainForced = false;
        refresh(forced);
      }
    });
  }

  private <Q, R> Future<R> call(ServiceMethod<R, Q> method, Q request, long deadlineMs) {
    return grpc.request(socketAddress(inUse), method)
        .compose(req -> {
          req.timeout(deadlineMs, TimeUnit.MILLISECONDS);
          return req.send(request).compose(GrpcClientResponse::last);
        });
  }

  /**
   * Where to connect: the endpoint's host, or the address its name resolved to here, still named by
   * the host (TLS checks the certificate against the name, as it does when Vert.x resolves it).
   */
  private static SocketAddress socketAddress(DiscoveryRotation.Place place) {
    DiscoveryTarget target = place.target();
    if (place.address().isEmpty()) {
      return SocketAddress.inetSocketAddress(target.port(), target.host());
    }
    try {
      InetAddress named = InetAddress.getByAddress(target.host(), place.address().get().getAddress());
      return SocketAddress.inetSocketAddress(new InetSocketAddress(named, target.port()));
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException("an address of 4 or 16 bytes is always valid", e);
    }
  }

  private static GrpcClientOptions grpcOptions() {
    return new GrpcClientOptions().setScheduleDeadlineAutomatically(true).setMaxMessageSize(MAX_MESSAGE_BYTES);
  }

  private void ensureClient() {
    if (grpc != null) {
      return;
    }
    grpc = GrpcClient.client(vertx, grpcOptions(), DiscoveryConnections.httpOptions(rotation.target()));
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
    if (state == Reachability.State.FAILING) {
      outage = true;
    } else if (state == Reachability.State.WATCHING) {
      outage = false;
    }
  }

  private String describe(Throwable e) {
    return describe(e, rotation.target());
  }

  private static String describe(Throwable e, DiscoveryTarget target) {
    if (e instanceof io.vertx.grpc.client.InvalidStatusException s) {
      return "status " + s.actualStatus();
    }
    if (e instanceof io.vertx.grpc.common.GrpcErrorException g) {
      return "status " + g.status() + (g.getMessage() == null ? "" : ": " + g.getMessage());
    }
    return DiscoveryConnections.describe(e, target);
  }
}
