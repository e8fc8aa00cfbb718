package io.spanlog.demo;

import io.spanlog.agent.netns.LabNode;
import io.spanlog.agent.netns.NamespaceAgent;
import io.spanlog.agent.netns.NamespaceHttp;
import io.spanlog.agent.netns.NetnsLab;
import io.spanlog.ctl.StatusSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Agents as child JVMs, one per network namespace of a {@link NetnsLab}, each driving its own
 * wireguard-go (userspace backend). Their status APIs listen on their namespace's loopback and
 * are read through a {@link NamespaceHttp} relay per node.
 */
final class NamespaceMesh implements Mesh {
  private final NetnsLab lab;
  private final List<NamespaceAgent> agents = new ArrayList<>();
  private final List<NamespaceHttp> relays = new ArrayList<>();
  private final List<Node> nodes = new ArrayList<>();
  private final List<Process> traffic = new ArrayList<>();
  /** Ping payload and interval: about 5 kB/s each way per pair, far above the handshakes. */
  static final List<String> PING = List.of("ping", "-6", "-q", "-i", "0.2", "-s", "1000", "-W", "1");

  private NamespaceMesh(NetnsLab lab) {
    this.lab = lab;
  }

  /**
   * Starts one agent per config in the lab's nodes (config i → node i).
   *
   * @param statusPort the status API port in every node's config
   */
  static NamespaceMesh start(NetnsLab lab, List<Path> configs, Path logFolder, int statusPort) throws IOException {
    NamespaceMesh mesh = new NamespaceMesh(lab);
    try {
      for (int i = 1; i <= configs.size(); i++) {
        LabNode node = lab.node(i);
        NamespaceAgent agent = NamespaceAgent.start(lab, node, configs.get(i - 1), logFolder.resolve("node-" + i + ".log"));
        mesh.agents.add(agent);
        NamespaceHttp relay = NamespaceHttp.start(lab, node);
        mesh.relays.add(relay);
        StatusSource source = path -> {
          NamespaceHttp.Reply reply = relay.get(statusPort, path);
          if (reply.status() != 200) {
            throw new IOException(node.namespace() + " " + path + " answered " + reply.status() + ": " + reply.body().strip());
          }
          return reply.body();
        };
        mesh.nodes.add(new Node("node-" + i, source));
      }
      return mesh;
    } catch (IOException | RuntimeException e) {
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
    return agents.size() + " agents in network namespaces " + lab.prefix() + "-n1.." + agents.size()
        + ", each with its own wireguard-go (interface kubespan)";
  }

  NetnsLab lab() {
    return lab;
  }

  List<NamespaceAgent> agents() {
    return List.copyOf(agents);
  }

  /** A ping from every node to every other node's KubeSpan address, through WireGuard. */
  @Override
  public synchronized String startTraffic(List<String> overlayAddresses) throws IOException {
    for (int from = 0; from < agents.size(); from++) {
      for (int to = 0; to < overlayAddresses.size(); to++) {
        if (from != to) {
          List<String> ping = new ArrayList<>(PING);
          ping.add(overlayAddresses.get(to));
          traffic.add(new ProcessBuilder(lab.command(agents.get(from).node(), ping))
              .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        }
      }
    }
    return "traffic: every node pings every other node's KubeSpan address through WireGuard ("
        + String.join(" ", PING.subList(0, PING.size() - 2)) + ")";
  }

  /** Stops agents (their wireguard-go with them), relays, then removes the namespaces and links. */
  @Override
  public void close() {
    synchronized (this) {
      traffic.forEach(Process::destroyForcibly);
      traffic.clear();
    }
    agents.parallelStream().forEach(NamespaceAgent::stop);
    relays.forEach(NamespaceHttp::close);
    lab.close();
  }
}
