package io.spanlog.agent.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spanlog.agent.netns.LabNode;
import io.spanlog.agent.netns.NamespaceAgent;
import io.spanlog.agent.netns.NamespaceHttp;
import io.spanlog.agent.netns.NetnsLab;
import io.spanlog.agent.wireguard.DeviceState;
import io.spanlog.agent.wireguard.UserspaceOptions;
import io.spanlog.agent.wireguard.UserspaceWireGuardDevice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One node of the end-to-end mesh as the test sees it: its agent, status API and device. */
final class MeshNode implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  final NetnsLab lab;
  final LabNode node;
  final NamespaceAgent agent;
  final int statusPort;
  private final NamespaceHttp http;

  MeshNode(NetnsLab lab, LabNode node, NamespaceAgent agent, int statusPort) throws IOException {
    this.lab = lab;
    this.node = node;
    this.agent = agent;
    this.statusPort = statusPort;
    this.http = NamespaceHttp.start(lab, node);
  }

  String name() {
    return "node-" + node.index();
  }

  /** The JSON of a status API view, or empty while the API does not answer. */
  Optional<JsonNode> view(String path) {
    try {
      NamespaceHttp.Reply reply = http.get(statusPort, path);
      return reply.status() == 200 ? Optional.of(JSON.readTree(reply.body())) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** {@code /v1/peerstatuses} peers, empty while the API does not answer. */
  List<JsonNode> peerStatuses() {
    List<JsonNode> out = new ArrayList<>();
    view("/v1/peerstatuses").ifPresent(v -> v.path("peers").forEach(out::add));
    return out;
  }

  /**
   * {@code /v1/peerstatuses} peers of an agent that answers: an agent that does not answer fails
   * the test here, so "no status for X" cannot pass by silence.
   */
  List<JsonNode> answeredPeerStatuses() {
    JsonNode v = view("/v1/peerstatuses")
        .orElseThrow(() -> new AssertionError(name() + ": the status API does not answer"));
    List<JsonNode> out = new ArrayList<>();
    v.path("peers").forEach(out::add);
    return out;
  }

  /** {@code /v1/identity}'s discovery state (watching, failing, ...); empty while the API does not answer. */
  Optional<String> discoveryState() {
    return view("/v1/identity").map(v -> v.path("discovery").path("state").asText());
  }

  /** The endpoints node {@code label}'s peer spec lists, from {@code /v1/peerspecs}. */
  List<String> specEndpoints(String label) {
    List<String> out = new ArrayList<>();
    view("/v1/peerspecs").ifPresent(v -> v.path("peers").forEach(p -> {
      if (p.path("label").asText().equals(label)) {
        p.path("endpoints").forEach(e -> out.add(e.path("endpoint").asText()));
      }
    }));
    return out;
  }

  Optional<JsonNode> status(String label) {
    return peerStatuses().stream().filter(p -> p.path("label").asText().equals(label)).findFirst();
  }

  JsonNode identity() {
    return view("/v1/identity").orElseThrow(() -> new AssertionError(name() + ": the status API does not answer"));
  }

  /** The overlay address without its /128. */
  String overlayAddress() {
    String address = identity().path("address").asText();
    int slash = address.indexOf('/');
    return slash < 0 ? address : address.substring(0, slash);
  }

  boolean ping(String address) {
    return lab.exec(node, "ping", "-6", "-c", "2", "-i", "0.2", "-W", "2", address).succeeded();
  }

  /**
   * The node's WireGuard device as wireguard-go reports it, read from outside through the private
   * socket folder of the agent's wireguard-go ({@code /proc/<pid>/root/run/wireguard}).
   */
  DeviceState device() {
    long wireguardGo = lab.pids(node).stream().filter(pid -> comm(pid).equals("wireguard-go")).findFirst()
        .orElseThrow(() -> new AssertionError(name() + ": no wireguard-go runs in " + node.namespace()));
    UserspaceOptions outside = UserspaceOptions.defaults().withRunner(lab.runner(node))
        .withSocketDirectory(Path.of("/proc/" + wireguardGo + "/root/run/wireguard"));
    try (UserspaceWireGuardDevice attached = UserspaceWireGuardDevice.open("kubespan", outside)) {
      return attached.read();
    }
  }

  private static String comm(long pid) {
    try {
      return Files.readString(Path.of("/proc/" + pid + "/comm")).strip();
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() {
    agent.stop();
    http.close();
  }
}
