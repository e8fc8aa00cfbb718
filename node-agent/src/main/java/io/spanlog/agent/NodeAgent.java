package io.spanlog.agent;

import io.spanlog.affiliate.ClusterSecret;
import io.spanlog.agent.api.LeaveRefused;
import io.spanlog.agent.api.ServedAgent;
import io.spanlog.agent.api.StatusApiServer;
import io.spanlog.agent.api.ResourceVersions;
import io.spanlog.agent.api.StatusRoutes;
import io.spanlog.agent.api.StatusViews;
import io.spanlog.agent.config.ConfigDiff;
import io.spanlog.agent.config.NodeConfig;
import io.spanlog.agent.discovery.ClusterView;
import io.spanlog.agent.discovery.DiscoveryClient;
import io.spanlog.agent.discovery.DiscoveryEvents;
import io.spanlog.agent.discovery.Reachability;
import io.spanlog.agent.host.HostFacts;
import io.spanlog.agent.host.SystemHost;
import io.spanlog.agent.identity.IdentityException;
import io.spanlog.agent.identity.IdentityStore;
import io.spanlog.agent.identity.KubeSpanIdentity;
import io.spanlog.agent.identity.LocalNode;
import io.spanlog.agent.reconcile.AgentPass;
import io.spanlog.agent.reconcile.AgentState;
import io.spanlog.agent.reconcile.CoalescingTrigger;
import io.spanlog.agent.reconcile.PeerChangePass;
import io.spanlog.agent.status.PeerStatusRound;
import io.spanlog.agent.telemetry.TelemetryReporter;
import io.spanlog.agent.wireguard.DeviceConfig;
import io.spanlog.agent.wireguard.DeviceState;
import io.spanlog.agent.wireguard.DeviceTakeover;
import io.spanlog.agent.wireguard.LinkConfig;
import io.spanlog.agent.wireguard.WireGuardDevice;
import io.spanlog.agent.wireguard.WireGuardException;
import io.spanlog.peers.PeerSpecIndex;
import io.vertx.core.Vertx;
import java.net.Inet6Address;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's runtime and its lifecycle: start, stop, reload, leave. It wires the parts: identity,
 * WireGuard device and link, discovery client, telemetry, the local status API ({@link
 * StatusRoutes}, served from this agent as a {@link ServedAgent}) and the reconcile loop, which
 * runs an {@link AgentPass} every reconcile interval and at once when the cluster view changes.
 * Several agents can run in one JVM (scale runs, the demo), each with its own {@link HostFacts} and
 * an injected {@link DeviceFactory}.
 *
 * <p>Threading: everything that changes the agent's parts (start, passes, reloads, stop) runs on
 * the agent's own single thread, so a reload never races a pass; the status API only reads
 * immutable snapshots.
 */
public final class NodeAgent {
  private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);
  private static final long STOP_WAIT_SECONDS = 15;
  /** Longer than the discovery client's 30 s deadline, so a leave ends deleted or refused, never undecided. */
  private static final long LEAVE_WAIT_SECONDS = 35;

  private final Vertx vertx;
  private final DeviceFactory devices;
  private final Clock clock;
  private final HostFacts host;
  private final ExecutorService thread;
  private final CoalescingTrigger trigger;
  /** A Watch change: the changed peers only ({@link PeerChangePass}), the whole pass when it cannot decide. */
  private final CoalescingTrigger changeTrigger;
  private final List<Runnable> onLeft = new CopyOnWriteArrayList<>();
  private final List<AgentEvents> listeners = new CopyOnWriteArrayList<>();

  // Parts; changed only on the agent thread, volatile for the status API and tests.
  private volatile NodeConfig config;
  private volatile LocalNode self;
  private volatile WireGuardDevice device;
  private volatile DiscoveryClient discovery;
  private volatile TelemetryReporter telemetry;
  /** The last pass's state with the version of each resource in it (one read gives both). */
  private volatile ResourceVersions published = ResourceVersions.NONE;
  private PeerStatusRound statusRound;
  // the specs of the last pass or change, and the view they were computed from (agent thread only)
  private PeerSpecIndex specIndex;
  private ClusterView basis = ClusterView.empty();
  private StatusApiServer statusApi;
  private long timer = -1;
  private volatile boolean running;

  private NodeAgent(NodeConfig config, Vertx vertx, DeviceFactory devices, Clock clock, HostFacts host) {
    this.config = Objects.requireNonNull(config, "config");
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.devices = Objects.requireNonNull(devices, "devices");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.host = Objects.requireNonNull(host, "host");
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "spanlog-agent-" + config.interfaceName());
      t.setDaemon(true);
      return t;
    });
    this.trigger = new CoalescingTrigger(thread, this::pass);
    this.changeTrigger = new CoalescingTrigger(thread, this::peerChange);
  }

  /** An agent on this machine. */
  public static NodeAgent create(NodeConfig config, Vertx vertx, DeviceFactory devices, Clock clock) {
    return new NodeAgent(config, vertx, devices, clock, new SystemHost());
  }

  /** An agent on a given (e.g. simulated) host. */
  public static NodeAgent create(NodeConfig config, Vertx vertx, DeviceFactory devices, Clock clock, HostFacts host) {
    return new NodeAgent(config, vertx, devices, clock, host);
  }

  /**
   * Loads or creates the identity, opens and configures the device, starts discovery, the status
   * API and the reconcile timer, then runs a first pass. Blocks until all of that is up.
   *
   * @throws AgentException with a sentence when a part cannot start (nothing is left running)
   */
  public void start() {
    onAgentThread(() -> {
      try {
        startParts(config);
      } catch (RuntimeException e) {
        stopParts();
        throw e;
      }
      running = true;
      return null;
    });
    trigger.fire();
  }

  /** Stops every part and closes the device. Idempotent. */
  public void stop() {
    if (thread.isShutdown()) {
      return;
    }
    try {
      onAgentThread(() -> {
        running = false;
        stopParts();
        LOG.info("{}: agent stopped, device closed", config.interfaceName());
        return null;
      });
    } finally {
      thread.shutdown();
    }
  }

  /**
   * The node leaves the cluster (Talos: reset): its affiliate is deleted from discovery, it stops
   * publishing and refreshing, every peer is removed from its device, then the agent stops.
   *
   * @throws AgentException when the discovery service refuses the deletion (the agent keeps running)
   */
  public StatusViews.Left leave() {
    StatusViews.Left left = onAgentThread(this::depart);
    stop();
    return left;
  }

  /** Tells {@code listener} about passes and affiliate sends from now on (metrics, tests, benches). */
  public void addListener(AgentEvents listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Runs after the agent left through {@code POST /v1/leave} and stopped; {@code AgentMain} exits
   * the process there.
   */
  public void whenLeft(Runnable action) {
    onLeft.add(Objects.requireNonNull(action, "action"));
  }

  private StatusViews.Left depart() {
    if (!running || discovery == null || device == null) {
      throw new AgentException("the agent is not running (it already left or stopped)");
    }
    String target = discovery.inUse().target().toString();
    try {
      discovery.leave().await(LEAVE_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AgentException("the discovery service at " + target + " did not accept the deletion of the affiliate: "
          + e.getMessage(), e);
    }
    running = false;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    stopDiscovery(false);
    int peers = device.read().peers().size();
    device.apply(new DeviceConfig(self.identity().privateKey(),
        config.listenPort(), DeviceConfig.KUBESPAN_FIREWALL_MARK, List.of()));
    publish(AgentState.INITIAL);
    LOG.info("{}: left the cluster: affiliate {} deleted at {}, {} peers removed from the device", config.interfaceName(),
        self.nodeId(), target, peers);
    return new StatusViews.Left(self.nodeId(), target, peers);
  }

  /**
   * Applies a new config without a restart of the process (KubeSpan's immediate mode): only the
   * parts it changes are restarted, then a pass runs at once.
   *
   * @return the parts that changed (empty when nothing did)
   */
  public Set<ConfigDiff.Part> reconfigure(NodeConfig next) {
    Set<ConfigDiff.Part> parts = onAgentThread(() -> {
      if (!running) {
        // left or stopped: a config change must not bring discovery (and the affiliate) back
        LOG.info("{}: the agent is not running; the new config is not applied", config.interfaceName());
        return Set.<ConfigDiff.Part>of();
      }
      NodeConfig old = config;
      Set<ConfigDiff.Part> diff = ConfigDiff.between(old, next);
      if (diff.isEmpty()) {
        return diff;
      }
      LOG.info("{}: applying a new config; restarting {}", old.interfaceName(), diff);
      try {
        applyParts(old, next, diff);
      } catch (RuntimeException e) {
        // e.g. the new status API port is taken: run on the old config rather than half of each
        LOG.warn("{}: the new config cannot be applied ({}); going back to the running one", old.interfaceName(),
            e.getMessage());
        stopParts();
        config = old;
        startParts(old);
        throw e;
      }
      return diff;
    });
    if (!parts.isEmpty()) {
      trigger.fire();
    }
    return parts;
  }

  private void applyParts(NodeConfig old, NodeConfig next, Set<ConfigDiff.Part> diff) {
    config = next;
    if (diff.contains(ConfigDiff.Part.IDENTITY) || diff.contains(ConfigDiff.Part.DEVICE)) {
      // a new key or a new device: statuses of the old one mean nothing any more
      stopParts();
      publish(AgentState.INITIAL);
      startParts(next);
      return;
    }
    self = selfOf(next, self.identity(), self.nodeId());
    if (diff.contains(ConfigDiff.Part.LINK)) {
      configureLink(next);
    }
    if (diff.contains(ConfigDiff.Part.DISCOVERY)) {
      stopDiscovery(true);
      startDiscovery(next);
    } else if (diff.contains(ConfigDiff.Part.TELEMETRY)) {
      if (telemetry != null) {
        telemetry.close();
      }
      telemetry = new TelemetryReporter(vertx, TelemetryReporter.Settings.ofNode(next));
    }
    if (diff.contains(ConfigDiff.Part.TIMINGS)) {
      statusRound = new PeerStatusRound(next.timings());
      startTimer(next);
    }
    if (diff.contains(ConfigDiff.Part.STATUS_API)) {
      stopStatusApi();
      startStatusApi(next);
    }
  }

  /** Runs a pass now (coalesced with one already running). */
  public void reconcileNow() {
    trigger.fire();
  }

  public NodeConfig config() {
    return config;
  }

  public String nodeId() {
    return requireStarted().nodeId();
  }

  public KubeSpanIdentity identity() {
    return requireStarted().identity();
  }

  /** The state after the last pass. */
  public AgentState state() {
    return published.state();
  }

  public WireGuardDevice device() {
    return device;
  }

  public Reachability discoveryReachability() {
    DiscoveryClient d = discovery;
    return d == null ? new Reachability(Reachability.State.STOPPED, clock.instant(), "not started") : d.reachability();
  }

  /** The status API's port; -1 when it is off. */
  public int statusApiPort() {
    StatusApiServer api = statusApi;
    return api == null ? -1 : api.port();
  }

  // --- parts (agent thread only) ---

  private void startParts(NodeConfig c) {
    byte[] mac = host.firstMac(c.interfaceName()).orElseThrow(() -> new AgentException(
        "this machine has no hardware (MAC) address to derive the node's KubeSpan address from"));
    KubeSpanIdentity identity;
    String nodeId;
    try {
      var store = new IdentityStore(c.stateFolder(), new SecureRandom());
      identity = store.loadOrCreate(c.clusterId(), mac);
      nodeId = store.loadOrCreateNodeId();
    } catch (IdentityException e) {
      throw new AgentException("cannot load the node identity: " + e.getMessage(), e);
    }
    self = selfOf(c, identity, nodeId);
    LOG.info("{}: node {} public key {} address {}", c.interfaceName(), nodeId, identity.publicKey(), identity.address());
    statusRound = new PeerStatusRound(c.timings());
    try {
      device = devices.open(c);
    } catch (RuntimeException e) {
      throw new AgentException("cannot open WireGuard interface " + c.interfaceName() + " (" + c.backend().configName()
          + " backend): " + e.getMessage(), e);
    }
    // before anything is applied: programming replaces the key and removes foreign peers
    DeviceState found;
    try {
      found = device.read();
    } catch (RuntimeException e) {
      throw new AgentException("cannot read WireGuard interface " + c.interfaceName() + ": " + e.getMessage(), e);
    }
    try {
      DeviceTakeover.require(c.interfaceName(), found, identity.privateKey().publicKey());
    } catch (WireGuardException e) {
      throw new AgentException(e.getMessage(), e);
    }
    configureLink(c);
    startDiscovery(c);
    startStatusApi(c);
    startTimer(c);
  }

  private void stopParts() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    stopStatusApi();
    stopDiscovery(false);
    if (device != null) {
      try {
        device.close();
      } catch (RuntimeException e) {
        LOG.warn("{}: closing the device: {}", config.interfaceName(), e.getMessage());
      }
      device = null;
    }
  }

  private void configureLink(NodeConfig c) {
    var address = (Inet6Address) self.identity().address().address();
    try {
      device.configureLink(LinkConfig.kubespan(c.mtu(), address));
    } catch (RuntimeException e) {
      throw new AgentException("cannot configure interface " + c.interfaceName() + ": " + e.getMessage(), e);
    }
  }

  private void startDiscovery(NodeConfig c) {
    var settings = DiscoveryClient.Settings.ofNode(c.discoveryEndpoints(), c.clusterId(), self.nodeId(),
        c.clusterSecret());
    DiscoveryClient client = new DiscoveryClient(vertx, settings, new DiscoveryEvents() {
      @Override
      public void onViewChanged(ClusterView view) {
        changeTrigger.fire();
      }

      @Override
      public void onAffiliateSent() {
        listeners.forEach(AgentEvents::onAffiliateSent);
      }
    }, clock);
    discovery = client;
    // reports go where the client is connected: with several endpoints, the one in use
    telemetry = new TelemetryReporter(vertx, TelemetryReporter.Settings.ofNode(c), () -> client.inUse().target());
    AgentPass.publishLocalAffiliate(self, c, host, discovery);
    discovery.start();
  }

  private void stopDiscovery(boolean leave) {
    if (discovery != null) {
      try {
        if (leave) {
          discovery.leave().await(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        }
        discovery.stop().await(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("{}: stopping the discovery client: {}", config.interfaceName(), e.getMessage());
      }
      discovery = null;
    }
    if (telemetry != null) {
      telemetry.close();
      telemetry = null;
    }
  }

  private void startStatusApi(NodeConfig c) {
    if (c.statusApiPort() == 0) {
      return;
    }
    var api = StatusRoutes.server(vertx, new Served(), clock);
    try {
      api.start(c.statusApiPort()).await(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AgentException("cannot serve the status API on " + StatusApiServer.HOST + ":" + c.statusApiPort()
          + " (statusApi.port): " + e.getMessage(), e);
    }
    statusApi = api;
    LOG.info("{}: status API on http://{}:{}/v1/", c.interfaceName(), StatusApiServer.HOST, api.port());
  }

  private void stopStatusApi() {
    if (statusApi != null) {
      try {
        statusApi.stop().await(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("{}: stopping the status API: {}", config.interfaceName(), e.getMessage());
      }
      statusApi = null;
    }
  }

  private void startTimer(NodeConfig c) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    timer = vertx.setPeriodic(Math.max(1, c.timings().reconcileInterval().toMillis()), id -> trigger.fire());
  }

  /** What the status API reads of this agent, and its leave. */
  private final class Served implements ServedAgent {
    @Override
    public LocalNode self() {
      return requireStarted();
    }

    @Override
    public StatusViews.Identity identity() {
      LocalNode s = requireStarted();
      DiscoveryClient d = discovery;
      TelemetryReporter t = telemetry;
      return StatusViews.identity(s, d == null ? config.discovery().url() : d.inUse().target().url(),
          discoveryReachability(),
          d == null ? Optional.empty() : d.publicIp(),
          t != null && t.status().on(), t == null ? "stopped" : t.status().detail(),
          // counted with this node as it is now: a renamed node shows the version its next pass records
          published.next(s, published.state()).identity());
    }

    @Override
    public AgentState state() {
      return published.state();
    }

    @Override
    public ResourceVersions versions() {
      return published;
    }

    @Override
    public ClusterSecret clusterSecret() {
      return config.clusterSecret();
    }

    /** Like {@link NodeAgent#leave()}, but the agent stops only once the answer is sent. */
    @Override
    public CompletionStage<StatusViews.Left> leave() {
      CompletableFuture<StatusViews.Left> done = new CompletableFuture<>();
      try {
        thread.execute(() -> {
          try {
            done.complete(depart());
          } catch (AgentException e) {
            done.completeExceptionally(new LeaveRefused(running, e.getMessage()));
          } catch (RuntimeException e) {
            done.completeExceptionally(e);
          }
        });
      } catch (RejectedExecutionException e) {
        done.completeExceptionally(new LeaveRefused(false, "the agent is stopping"));
      }
      return done;
    }

    @Override
    public void stopAfterLeaving() {
      // not on an event loop: stopping waits for the status API (served there) to close
      Thread t = new Thread(() -> {
        stop();
        onLeft.forEach(Runnable::run);
      }, "spanlog-agent-left-" + config.interfaceName());
      t.start();
    }
  }

  // --- the pass (agent thread) ---

  private void pass() {
    if (!running || device == null || discovery == null) {
      return;
    }
    long started = System.nanoTime();
    ClusterView view = discovery.view();
    PeerSpecIndex index = specIndex();
    basis = ClusterView.empty(); // a failing pass leaves the index mid-way: no change builds on it
    AgentState after = new AgentPass(self, config, host, device, discovery, telemetry, statusRound)
        .run(published.state(), view, index, clock.instant());
    publish(after);
    basis = view;
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    listeners.forEach(l -> l.onPass(after, took));
  }

  /** Makes {@code next} the state the views show, counting the resources it changed (agent thread). */
  private void publish(AgentState next) {
    published = published.next(self, next);
  }

  /**
   * A Watch change: only the changed peers are recomputed and edited on the device (one request,
   * no read); when that cannot be decided alone, or the backend programs only whole devices, the
   * whole pass runs instead.
   */
  private void peerChange() {
    if (!running || device == null || discovery == null) {
      return;
    }
    if (!device.editsPeers() || published.state().reconciledAt().isEmpty()) {
      pass();
      return;
    }
    long started = System.nanoTime();
    ClusterView view = discovery.view();
    AgentState before = published.state();
    Optional<PeerChangePass.Outcome> outcome;
    try {
      outcome = new PeerChangePass(AgentPass.settings(self, config), statusRound)
          .run(before, basis, view, specIndex(), device, clock.instant());
    } catch (RuntimeException e) {
      LOG.warn("{}: editing the changed peers failed ({}); running a whole pass", config.interfaceName(),
          e.getMessage());
      outcome = Optional.empty();
    }
    if (outcome.isEmpty()) {
      pass();
      return;
    }
    AgentState after = outcome.get().state();
    publish(after);
    basis = view;
    if (!after.harvested().equals(before.harvested())) {
      discovery.publishHarvested(after.harvested());
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    int edited = outcome.get().edits().size();
    listeners.forEach(l -> l.onPeerChange(after, took, edited));
  }

  private PeerSpecIndex specIndex() {
    String key = self.identity().publicKey();
    if (specIndex == null || !specIndex.localPublicKey().equals(key)) {
      specIndex = new PeerSpecIndex(key);
    }
    return specIndex;
  }

  private LocalNode selfOf(NodeConfig c, KubeSpanIdentity identity, String nodeId) {
    String hostname = c.hostname().orElseGet(host::hostname);
    return new LocalNode(nodeId, identity, hostname, c.nodename().orElse(hostname), c.clusterId(),
        c.interfaceName(), c.listenPort());
  }

  private LocalNode requireStarted() {
    LocalNode s = self;
    if (s == null) {
      throw new IllegalStateException("the agent has not started");
    }
    return s;
  }

  private <T> T onAgentThread(Callable<T> work) {
    try {
      return thread.submit(work).get();
    } catch (RejectedExecutionException e) {
      throw new AgentException("the agent has stopped", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentException("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new AgentException(String.valueOf(e.getCause().getMessage()), e.getCause());
    }
  }
}
