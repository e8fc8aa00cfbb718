package io.spanlog.agent.mesh;

import io.spanlog.agent.DeviceFactory;
import io.spanlog.agent.NodeAgent;
import io.spanlog.agent.config.NodeConfig;
import io.spanlog.agent.config.NodeConfigParser;
import io.spanlog.agent.host.FixedHost;
import io.spanlog.agent.wireguard.SimulatedNetwork;
import io.spanlog.agent.wireguard.SimulatedWireGuardDevice;
import io.spanlog.net.IpText;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

/**
 * Agents on the memory backend (simulated devices on one {@link SimulatedNetwork}) in this JVM:
 * node i has underlay addresses 10.51.1.i and 10.51.2.i (i up to 254; beyond that the third byte
 * grows), interface {@code ks<i>}, its own state folder and MAC.
 */
public final class SimulatedMesh {
  private final String clusterId = UUID.randomUUID().toString();
  private final String secret;
  private final List<String> discoveryUrls;
  private final Path stateBase;
  private final String timings;
  private final Vertx vertx;
  private final SimulatedNetwork network = new SimulatedNetwork(Clock.systemUTC());

  /** @param timings the YAML flow mapping of {@code kubespan.timings}, e.g. {@code {reconcileInterval: 300ms}} */
  public SimulatedMesh(Vertx vertx, String discoveryUrl, Path stateBase, String timings) {
    this(vertx, List.of(discoveryUrl), stateBase, timings);
  }

  /** Agents that list several discovery endpoints (instances of one service), in this order. */
  public SimulatedMesh(Vertx vertx, List<String> discoveryUrls, Path stateBase, String timings) {
    this.vertx = vertx;
    this.discoveryUrls = List.copyOf(discoveryUrls);
    this.stateBase = stateBase;
    this.timings = timings;
    byte[] raw = new byte[32];
    new java.security.SecureRandom().nextBytes(raw);
    this.secret = Base64.getEncoder().encodeToString(raw);
  }

  public SimulatedNetwork network() {
    return network;
  }

  public String clusterId() {
    return clusterId;
  }

  /** The YAML config of node i, with the status API on {@code apiPort} (0 = off). */
  public String yaml(int i, int apiPort) {
    return yaml(i, apiPort, discoveryUrls);
  }

  /** The YAML config of node i listing {@code urls} as its discovery endpoints. */
  public String yaml(int i, int apiPort, List<String> urls) {
    String discovery = urls.size() == 1
        ? "discovery: { endpoint: \"" + urls.get(0) + "\" }\n"
        : "discovery: { endpoints: [\"" + String.join("\", \"", urls) + "\"] }\n";
    return "cluster: { id: \"" + clusterId + "\", secret: \"" + secret + "\" }\n"
        + discovery
        + "node: { hostname: node-" + i + " }\n"
        + "kubespan: { interface: ks" + i + ", backend: memory, timings: " + timings + " }\n"
        + "stateFolder: \"" + stateBase.resolve("node-" + i) + "\"\n"
        + "statusApi: { port: " + apiPort + " }\n";
  }

  public NodeConfig config(int i, int apiPort) {
    return NodeConfigParser.parse(yaml(i, apiPort));
  }

  public NodeConfig config(int i, int apiPort, List<String> discoveryUrls) {
    return NodeConfigParser.parse(yaml(i, apiPort, discoveryUrls));
  }

  public static List<InetAddress> underlay(int i) {
    List<InetAddress> out = new ArrayList<>();
    for (int link = 1; link <= 2; link++) {
      out.add(IpText.parse("10." + (51 + i / 255) + "." + link + "." + (i % 255 == 0 ? 254 : i % 255)));
    }
    return out;
  }

  public NodeAgent agent(NodeConfig config, int i) {
    List<InetAddress> addresses = underlay(i);
    DeviceFactory devices = c -> SimulatedWireGuardDevice.on(network, c.interfaceName(), new LinkedHashSet<>(addresses));
    return NodeAgent.create(config, vertx, devices, Clock.systemUTC(), FixedHost.simulated("node-" + i, i, addresses));
  }
}
