package io.spanlog.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spanlog.agent.config.WireGuardBackendKind;
import io.spanlog.agent.netns.E2eRequirement;
import io.spanlog.agent.netns.LabConfigs;
import io.spanlog.agent.netns.LabNode;
import io.spanlog.agent.netns.NamespaceAgent;
import io.spanlog.agent.netns.NetnsLab;
import io.spanlog.infra.testing.E2eGate;
import io.spanlog.infra.testing.TempDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A node behind a NAT (talos#8054's case, and why Talos harvests endpoints at all): node 3 sits
 * behind a router namespace that masquerades it ({@code nft}) and forwards only one mapped UDP
 * port to its WireGuard port. Nothing node 3 advertises reaches it: its own address is private
 * and its public IP (as discovery sees it) on its WireGuard port is not forwarded. Its peers see
 * its handshakes come from the mapped endpoint, harvest it, and publish it through discovery, and
 * every other node's peer spec for node 3 then lists that endpoint as harvested: the endpoint
 * reached the others through discovery, not only through their own devices.
 *
 * <p>Real broker, discovery service and agents on real wireguard-go, as {@link MeshEndToEndIT};
 * its own small mesh (three nodes, only links up, ~1 min) rather than a stage of that test, whose
 * nodes share bridges directly.
 */
class NatHarvestIT {
  private static final int NODES = 3;
  private static final int STATUS_PORT = 51890;
  private static final int LISTEN_PORT = 51820;
  private static final int MAPPED_PORT = 40000;

  private NetnsLab lab;
  private ControlPlane control;
  private Path folder;
  private final List<MeshNode> nodes = new ArrayList<>();

  @BeforeEach
  void startMesh() throws Exception {
    E2eRequirement.requireNetnsLab();
    E2eGate.require("a NAT router namespace (nft)", NetnsLab.natUnavailableReason());
    lab = NetnsLab.create("nh", NODES, 53);
    folder = TempDirs.create("spanlog-nat-");
    control = ControlPlane.start(folder, lab.serviceAddress());
    LabConfigs.Written configs = LabConfigs.write(folder.resolve("nodes"), new LabConfigs.Settings(
        control.discoveryUrl(), WireGuardBackendKind.USERSPACE, List.of(STATUS_PORT, STATUS_PORT, STATUS_PORT),
        Duration.ofSeconds(130), Duration.ofSeconds(10), Duration.ofSeconds(1)));
    lab.natBehindRouter(lab.node(3), LISTEN_PORT, MAPPED_PORT);
    for (int i = 1; i <= NODES; i++) {
      LabNode node = lab.node(i);
      NamespaceAgent agent = NamespaceAgent.start(lab, node, configs.files().get(i - 1),
          folder.resolve("node-" + i + ".log"));
      nodes.add(new MeshNode(lab, node, agent, STATUS_PORT));
    }
  }

  @AfterEach
  void stopMesh() {
    nodes.forEach(MeshNode::close);
    if (control != null) {
      control.close();
    }
    if (lab != null) {
      lab.close();
    }
    if (folder != null) {
      TempDirs.deleteRecursively(folder);
    }
  }

  @Test
  void theMappedEndpointOfANattedNodeIsHarvestedAndReachesTheOthersThroughDiscovery() throws Exception {
    String mapped = "10.53.1.200:" + MAPPED_PORT;
    MeshNode natted = nodes.get(2);

    await(Duration.ofSeconds(90), "every node lists its 2 peers as up", () -> {
      boolean ok = nodes.stream().allMatch(n -> {
        List<JsonNode> peers = n.peerStatuses();
        return peers.size() == NODES - 1 && peers.stream().allMatch(p -> p.path("state").asText().equals("up"));
      });
      return ok ? null : statuses();
    });
    String nattedKey = natted.identity().path("publicKey").asText();
    for (MeshNode other : nodes.subList(0, 2)) {
      assertThat(other.ping(natted.overlayAddress())).as("%s pings node 3 over WireGuard", other.name()).isTrue();
      assertThat(natted.ping(other.overlayAddress())).as("node 3 pings %s over WireGuard", other.name()).isTrue();
    }
    // node 3 advertises nothing that reaches it: its peers talk to it through the mapping
    for (MeshNode other : nodes.subList(0, 2)) {
      JsonNode status = other.status("node-3").orElseThrow();
      assertThat(status.path("endpoint").asText()).as("%s's endpoint for node 3", other.name()).isEqualTo(mapped);
    }
    await(Duration.ofSeconds(30), "nodes 1 and 2 list node 3's mapped endpoint, harvested, in its peer spec", () -> {
      List<String> missing = new ArrayList<>();
      for (MeshNode other : nodes.subList(0, 2)) {
        Optional<JsonNode> spec = specOf(other, nattedKey);
        boolean listed = spec.isPresent() && streamOf(spec.get().path("endpoints")).stream().anyMatch(e ->
            e.path("endpoint").asText().equals(mapped) && e.path("source").asText().equals("harvested"));
        if (!listed) {
          missing.add(other.name() + " " + spec.map(s -> s.path("endpoints").toString()).orElse("(no spec)"));
        }
      }
      return missing.isEmpty() ? null : String.join("; ", missing);
    });
  }

  private static Optional<JsonNode> specOf(MeshNode node, String publicKey) {
    return node.view("/v1/peerspecs").flatMap(v -> streamOf(v.path("peers")).stream()
        .filter(p -> p.path("id").asText().equals(publicKey)).findFirst());
  }

  private static List<JsonNode> streamOf(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out;
  }

  private String statuses() {
    StringBuilder out = new StringBuilder();
    for (MeshNode n : nodes) {
      out.append(n.name()).append(": ");
      for (JsonNode p : n.peerStatuses()) {
        out.append(p.path("label").asText()).append('=').append(p.path("state").asText())
            .append('@').append(p.path("endpoint").asText()).append(' ');
      }
    }
    return out.toString();
  }

  private void await(Duration timeout, String what, Supplier<String> check) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      last = check.get();
      if (last == null) {
        return;
      }
      Thread.sleep(500);
    }
    StringBuilder tails = new StringBuilder();
    for (MeshNode n : nodes) {
      tails.append("\n--- ").append(n.agent.log()).append(" ---\n");
      try {
        List<String> lines = Files.readAllLines(n.agent.log());
        lines.subList(Math.max(0, lines.size() - 15), lines.size()).forEach(l -> tails.append(l).append('\n'));
      } catch (IOException e) {
        tails.append("(cannot read: ").append(e.getMessage()).append(")\n");
      }
    }
    throw new AssertionError("within " + timeout.toSeconds() + " s: " + what + "; last seen: " + last + tails);
  }
}
