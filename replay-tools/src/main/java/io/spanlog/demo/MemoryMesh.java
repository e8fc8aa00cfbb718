package io.spanlog.demo;

import io.spanlog.agent.NodeAgent;
import io.spanlog.agent.config.NodeConfig;
import io.spanlog.agent.config.NodeConfigParser;
import io.spanlog.agent.host.FixedHost;
import io.spanlog.agent.wireguard.SimulatedNetwork;
import io.spanlog.agent.wireguard.SimulatedWireGuardDevice;
import io.spanlog.ctl.HttpStatusSource;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Agents in this JVM on simulated WireGuard devices sharing one {@link SimulatedNetwork}: the real
 * control plane (identity, discovery, peer specs, status machine, status API) over a model of the
 * data plane. For machines without root; every line the demo prints says "simulated".
 *
 * <p>Node i gets two made-up underlay addresses from the documentation ranges (192.0.2.i,
 * 198.51.100.i), so nothing ever leaves the machine.
 */
final class MemoryMesh implements Mesh {
  private final Vertx vertx = Vertx.vertx();
  private final List<NodeAgent> agents = new ArrayList<>();
  private final List<Node> nodes = new ArrayList<>();

  private MemoryMesh() {}

  /** Starts one agent per config (their status API ports must differ: they share a loopback). */
  static MemoryMesh start(List<Path> configs) {
    MemoryMesh mesh = new MemoryMesh();
    SimulatedNetwork network = new SimulatedNetwork(Clock.systemUTC());
    try {
      for (int i = 1; i <= configs.size(); i++) {
        NodeConfig config = NodeConfigParser.load(configs.get(i - 1));
        List<InetAddress> underlay = List.of(ipv4(192, 0, 2, i), ipv4(198, 51, 100, i));
        String deviceName = "node-" + i;
        NodeAgent agent = NodeAgent.create(config, mesh.vertx,
            c -> SimulatedWireGuardDevice.on(network, deviceName, new HashSet<>(underlay)),
            Clock.systemUTC(), FixedHost.simulated("node-" + i, i, underlay));
        mesh.agents.add(agent);
        agent.start();
        mesh.nodes.add(new Node("node-" + i, new HttpStatusSource(config.statusApiPort())));
      }
      return mesh;
    } catch (RuntimeException e) {
      mesh.close();
      throw e;
    }
  }

  @Override
  public List<Node> nodes() {
    return List.copyOf(nodes);
  }

  @Override
  public String description() {
    return agents.size() + " in-process agents on SIMULATED WireGuard devices (memory backend; no packets are sent)";
  }

  @Override
  public String startTraffic(List<String> overlayAddresses) {
    return "no traffic: simulated devices carry no packets (RX/TX are handshakes only)";
  }

  @Override
  public void close() {
    agents.forEach(NodeAgent::stop);
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  private static InetAddress ipv4(int a, int b, int c, int d) {
    try {
      return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
