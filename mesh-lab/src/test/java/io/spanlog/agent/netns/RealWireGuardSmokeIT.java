package io.spanlog.agent.netns;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.agent.AgentMain;
import io.spanlog.agent.mesh.RealDiscovery;
import io.spanlog.agent.os.CommandResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two agents ({@code ./spanlog agent}, userspace backend, wireguard-go) in network namespaces
 * against the real discovery service in the root namespace: they find each other and ping over
 * their KubeSpan addresses. The smoke test of the real path; the full e2e (three nodes, cut
 * links, telemetry) is the demo's.
 */
class RealWireGuardSmokeIT {
  private static NetnsLab lab;
  @TempDir Path dir;

  @BeforeAll
  static void buildLab() {
    E2eRequirement.requireNetnsLab();
    lab = NetnsLab.create("sa", 2, 51);
  }

  @AfterAll
  static void removeLab() {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void twoAgentsMeshOverWireGuardGo() throws Exception {
    List<Process> agents = new ArrayList<>();
    try (RealDiscovery discovery = RealDiscovery.start("0.0.0.0")) {
      String url = "http://" + lab.serviceAddress().getHostAddress() + ":" + discovery.port() + "/";
      String cluster = "smoke-" + System.nanoTime();
      for (int i = 1; i <= 2; i++) {
        Path config = dir.resolve("node-" + i + ".yaml");
        Files.writeString(config, "cluster: { id: " + cluster + ", secret: \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\" }\n"
            + "discovery: { endpoint: \"" + url + "\" }\n"
            + "node: { hostname: smoke-" + i + " }\n"
            + "kubespan: { backend: userspace, filters: { endpoints: [\"10.51.0.0/16\"] },"
            + " timings: { reconcileInterval: 1s, peerDownInterval: 10s, endpointConnectionTimeout: 3s } }\n"
            + "stateFolder: \"" + dir.resolve("state-" + i) + "\"\n");
        Process p = lab.javaProcess(lab.node(i), AgentMain.class.getName(), List.of("--config", config.toString()))
            .redirectErrorStream(true).redirectOutput(dir.resolve("agent-" + i + ".log").toFile()).start();
        agents.add(p);
      }
      Path id2 = dir.resolve("state-2/kubespan-identity.yaml");
      await("node 2's identity", () -> Files.exists(id2));
      String address2 = Files.readAllLines(id2).stream().filter(l -> l.startsWith("address:"))
          .findFirst().orElseThrow().replace("address:", "").trim().replace("/128", "");
      await("node 1 pings node 2 over WireGuard", () ->
          lab.exec(lab.node(1), "ping", "-6", "-c", "1", "-W", "1", address2).succeeded());
      await("node 1's status API to show node 2 up", () -> {
        CommandResult statuses = lab.exec(lab.node(1), "bash", "-c",
            "exec 3<>/dev/tcp/127.0.0.1/51890; printf 'GET /v1/peerstatuses HTTP/1.0\\r\\n\\r\\n' >&3; cat <&3");
        return statuses.stdout().contains("\"label\":\"smoke-2\"") && statuses.stdout().contains("\"state\":\"up\"");
      });
      assertThat(lab.exec(lab.node(1), "ip", "link", "show", "kubespan").succeeded()).isTrue();
    } finally {
      for (Process p : agents) {
        p.destroy();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
      for (int i = 1; i <= 2; i++) {
        System.out.println("--- agent " + i + " log ---\n" + read(dir.resolve("agent-" + i + ".log")));
      }
    }
    assertThat(read(dir.resolve("agent-1.log"))).contains("agent stopped, device closed");
    assertThat(lab.exec(lab.node(1), "ip", "link", "show", "kubespan").succeeded()).as("wireguard-go gone").isFalse();
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return "";
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(200);
    }
  }
}
