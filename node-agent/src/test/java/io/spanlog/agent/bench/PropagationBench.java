package io.spanlog.agent.bench;

import io.spanlog.agent.AgentEvents;
import io.spanlog.agent.NodeAgent;
import io.spanlog.agent.config.NodeConfig;
import io.spanlog.agent.host.FixedHost;
import io.spanlog.agent.mesh.RealDiscovery;
import io.spanlog.agent.mesh.SimulatedMesh;
import io.spanlog.agent.wireguard.DeviceConfig;
import io.spanlog.agent.wireguard.DeviceState;
import io.spanlog.agent.wireguard.LinkConfig;
import io.spanlog.agent.wireguard.PeerConfig;
import io.spanlog.agent.wireguard.SimulatedWireGuardDevice;
import io.spanlog.agent.wireguard.WireGuardDevice;
import io.spanlog.infra.testing.KafkaFixture;
import io.spanlog.infra.testing.TempDirs;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./spanlog bench propagation [agents] [joins]}: time from a new node's first
 * AffiliateUpdate to every other agent having it in its WireGuard device config, for N
 * memory-backend agents in this JVM (simulated devices on one simulated network) against the real
 * discovery service on a real Kafka broker (embedded, or SPANLOG_KAFKA_BOOTSTRAP).
 *
 * <p>Default timings (reconcile every 30 s): what is measured is the Watch-triggered pass, the
 * path a join takes. Each join adds one agent to the running fleet; every other agent's latency
 * is one sample.
 */
public final class PropagationBench {
  private static final long SETTLE_MS = 5_000;

  /** Records when a peer key first appears in an applied config. Wraps the simulated device. */
  static final class RecordingDevice implements WireGuardDevice {
    private final WireGuardDevice inner;
    final Map<String, Long> firstSeenNanos = new ConcurrentHashMap<>();

    RecordingDevice(WireGuardDevice inner) {
      this.inner = inner;
    }

    @Override
    public String name() {
      return inner.name();
    }

    @Override
    public void edit(io.spanlog.agent.wireguard.PeerEdits edits) {
      inner.edit(edits);
      long now = System.nanoTime();
      for (PeerConfig p : edits.added()) {
        firstSeenNanos.putIfAbsent(p.publicKey().base64(), now);
      }
    }

    @Override
    public boolean editsPeers() {
      return inner.editsPeers();
    }

    @Override
    public void apply(DeviceConfig config) {
      inner.apply(config);
      long now = System.nanoTime();
      for (PeerConfig p : config.peers()) {
        firstSeenNanos.putIfAbsent(p.publicKey().base64(), now);
      }
    }

    @Override
    public DeviceState read() {
      return inner.read();
    }

    @Override
    public void configureLink(LinkConfig link) {
      inner.configureLink(link);
    }

    @Override
    public void close() {
      inner.close();
    }
  }

  public static void main(String[] args) throws Exception {
    // 200 agents log every peer's state change: keep the table readable
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    int agents = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int joins = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    System.out.println("propagation bench: " + agents + " memory-backend agents + " + joins
        + " joins, real discovery-projector, Kafka " + KafkaFixture.shared().description());
    Path state = TempDirs.create("spanlog-propagation");
    Vertx vertx = Vertx.vertx();
    List<NodeAgent> fleet = new ArrayList<>();
    Map<NodeAgent, RecordingDevice> devices = new ConcurrentHashMap<>();
    try (RealDiscovery discovery = RealDiscovery.start()) {
      var mesh = new SimulatedMesh(vertx, discovery.url(), state, "{ reconcileInterval: 30s }");
      long t0 = System.nanoTime();
      for (int i = 1; i <= agents; i++) {
        fleet.add(start(mesh, vertx, i, devices, new AgentEvents() { }));
      }
      long started = System.nanoTime();
      awaitFullMesh(fleet, devices, TimeUnit.MINUTES.toNanos(10));
      long converged = System.nanoTime();
      System.out.printf("start of %d agents: %.1f s; full mesh (%d peers each) after %.1f s more%n",
          agents, (started - t0) / 1e9, agents - 1, (converged - started) / 1e9);
      // the start-up storm (every node's update to every watcher, ABORTED slow watchers
      // reconnecting and re-sending) must be over: a join is measured on a quiet mesh
      Thread.sleep(SETTLE_MS);

      List<Double> all = new ArrayList<>();
      System.out.printf("%-6s %-8s %10s %10s %10s %10s%n", "join", "others", "p50 ms", "p99 ms", "max ms", "min ms");
      for (int j = 1; j <= joins; j++) {
        List<NodeAgent> others = List.copyOf(fleet);
        AtomicLong firstSent = new AtomicLong(-1);
        NodeAgent joiner = start(mesh, vertx, agents + j, devices, new AgentEvents() {
          @Override
          public void onAffiliateSent() {
            firstSent.compareAndSet(-1, System.nanoTime());
          }
        });
        String key = joiner.identity().publicKey();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!others.stream().allMatch(o -> devices.get(o).firstSeenNanos.containsKey(key)) || firstSent.get() < 0) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("join " + j + " did not reach every agent within 5 minutes");
          }
          Thread.sleep(5);
        }
        long sent = firstSent.get();
        double[] ms = others.stream().mapToDouble(o -> (devices.get(o).firstSeenNanos.get(key) - sent) / 1e6).sorted().toArray();
        Arrays.stream(ms).forEach(all::add);
        System.out.printf("%-6d %-8d %10.1f %10.1f %10.1f %10.1f%n", j, ms.length, pct(ms, 50), pct(ms, 99), ms[ms.length - 1], ms[0]);
        fleet.add(joiner);
        awaitFullMesh(fleet, devices, TimeUnit.MINUTES.toNanos(5));
        Thread.sleep(SETTLE_MS);
      }
      double[] sorted = all.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      System.out.printf("%-6s %-8d %10.1f %10.1f %10.1f %10.1f%n", "all", sorted.length, pct(sorted, 50), pct(sorted, 99),
          sorted[sorted.length - 1], sorted[0]);
      fleet.forEach(NodeAgent::stop); // before the discovery service goes
    } finally {
      fleet.forEach(NodeAgent::stop);
      vertx.close().await(30, TimeUnit.SECONDS);
      TempDirs.deleteRecursively(state);
    }
    System.exit(0);
  }

  private static NodeAgent start(
      SimulatedMesh mesh, Vertx vertx, int i, Map<NodeAgent, RecordingDevice> devices, AgentEvents events) {
    NodeConfig config = mesh.config(i, 0);
    var addresses = SimulatedMesh.underlay(i);
    RecordingDevice[] device = new RecordingDevice[1];
    NodeAgent agent = NodeAgent.create(config, vertx, c -> {
      device[0] = new RecordingDevice(SimulatedWireGuardDevice.on(mesh.network(), c.interfaceName(), new LinkedHashSet<>(addresses)));
      return device[0];
    }, Clock.systemUTC(), FixedHost.simulated("node-" + i, i, addresses));
    agent.addListener(events); // before start: the first AffiliateUpdate goes out during it
    agent.start();
    devices.put(agent, device[0]);
    return agent;
  }

  private static void awaitFullMesh(List<NodeAgent> fleet, Map<NodeAgent, RecordingDevice> devices, long timeoutNanos)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeoutNanos;
    int want = fleet.size() - 1;
    while (!fleet.stream().allMatch(a -> devices.get(a).firstSeenNanos.size() >= want)) {
      if (System.nanoTime() > deadline) {
        long short_ = fleet.stream().filter(a -> devices.get(a).firstSeenNanos.size() < want).count();
        throw new IllegalStateException(short_ + " agents still lack peers");
      }
      Thread.sleep(50);
    }
  }

  private static double pct(double[] sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
