package io.spanlog.demo;

import io.spanlog.ctl.CtlRun;
import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.agent.config.WireGuardBackendKind;
import io.spanlog.agent.netns.LabConfigs;
import io.spanlog.ctl.CtlMain;
import io.spanlog.ctl.NodeViews;
import io.spanlog.discovery.server.DiscoveryConfig;
import io.spanlog.discovery.server.DiscoveryServer;
import io.spanlog.infra.testing.FreePorts;
import io.spanlog.infra.testing.KafkaFixture;
import io.spanlog.infra.testing.TempDirs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code spanlog ctl get} against the status APIs of three running agents (the demo's in-process
 * mesh: real broker, real discovery service, real agents on simulated WireGuard devices).
 */
class CtlGetIT {
  private static Path data;
  private static DiscoveryServer discovery;
  private static MemoryMesh mesh;
  private static List<Integer> ports;

  @BeforeAll
  static void startMesh() throws Exception {
    data = TempDirs.create("spanlog-ctl-");
    KafkaFixture kafka = KafkaFixture.shared();
    kafka.installTopics();
    discovery = DiscoveryServer.start(DiscoveryConfig.defaults(kafka.bootstrapServers(), "spanlog-ctl-it")
        .withPorts("127.0.0.1", 0, -1));
    ports = List.of(FreePorts.next(), FreePorts.next(), FreePorts.next());
    LabConfigs.Written configs = LabConfigs.write(data.resolve("nodes"), new LabConfigs.Settings(
        "http://127.0.0.1:" + discovery.port() + "/", WireGuardBackendKind.MEMORY, ports,
        Duration.ofSeconds(275), Duration.ofSeconds(15), Duration.ofSeconds(2)));
    mesh = MemoryMesh.start(configs.files());
    awaitAllUp(Duration.ofSeconds(90));
  }

  @AfterAll
  static void stopMesh() {
    if (mesh != null) {
      mesh.close();
    }
    if (discovery != null) {
      discovery.close();
    }
    if (data != null) {
      TempDirs.deleteRecursively(data);
    }
  }

  @Test
  void peerStatusesOfThreeAgentsAreOneTableWithEveryPeerUp() {
    CtlRun run = CtlRun.of("get", "peerstatuses", "--agent", agent(0), "--agent", agent(1), "--agent", agent(2));
    System.out.println("spanlog ctl get peerstatuses (3 agents):\n" + run.out());

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    List<String> lines = run.out().lines().toList();
    assertThat(lines.get(0).split("\\s+")).containsExactly("NODE", "ID", "VERSION", "LABEL", "ENDPOINT", "STATE", "RX", "TX");
    List<String> rows = lines.subList(1, lines.size());
    assertThat(rows).hasSize(6);
    assertThat(rows).extracting(r -> r.split("\\s+")[0]).containsOnly("node-1", "node-2", "node-3");
    for (String row : rows) {
      String[] cells = row.split("\\s+");
      assertThat(cells[5]).as(row).isEqualTo("up");
      assertThat(cells[0]).as("a node does not list itself: " + row).isNotEqualTo(cells[3]);
      assertThat(Long.parseLong(cells[2])).as("VERSION of " + row).isPositive();
      assertThat(Long.parseLong(cells[6])).as("RX of " + row).isPositive();
    }
  }

  @Test
  void talosctlNamesAndEveryResourceWork() {
    CtlRun identities = CtlRun.of("get", "kubespanidentities", "--agent", agent(0), "--agent", agent(1), "--agent", agent(2));
    assertThat(identities.code()).as(identities.err()).isZero();
    assertThat(identities.out().lines().skip(1).toList()).hasSize(3)
        .allSatisfy(row -> assertThat(row).matches("node-\\d\\s+local\\s+\\d+\\s+fd[0-9a-f:]+/128\\s+fd[0-9a-f:]+/64\\s+\\S+="));

    CtlRun specs = CtlRun.of("get", "kps", "--agent", agent(0), "--agent", agent(1), "--agent", agent(2));
    assertThat(specs.code()).as(specs.err()).isZero();
    assertThat(specs.out().lines().skip(1).toList()).hasSize(6);

    CtlRun endpoints = CtlRun.of("get", "endpoints", "--agent", agent(1));
    assertThat(endpoints.code()).as(endpoints.err()).isZero();
    assertThat(endpoints.out().lines().findFirst().orElseThrow().split("\\s+"))
        .containsExactly("NODE", "ID", "VERSION", "AFFILIATE", "ID", "ENDPOINT");
  }

  @Test
  void aPeerSpecsVersionStaysWhileItsContentStaysThoughPassesGoOn() throws Exception {
    CtlRun before = CtlRun.of("get", "kps", "-o", "yaml", "--agent", agent(0));
    assertThat(before.code()).as(before.err()).isZero();
    Thread.sleep(3_000); // several reconcile passes of a mesh that does not change
    CtlRun after = CtlRun.of("get", "kps", "-o", "yaml", "--agent", agent(0));
    assertThat(after.code()).as(after.err()).isZero();
    System.out.println("spanlog ctl get kps -o yaml:\n" + after.out());
    List<Object> docs = new ArrayList<>();
    new org.yaml.snakeyaml.Yaml().loadAll(after.out()).forEach(docs::add);
    assertThat(docs).hasSize(2);
    assertThat(after.out()).contains("type: KubeSpanPeerSpecs.kubespan.talos.dev").isEqualTo(before.out());
  }

  @Test
  void jsonIsTheRawViewOfEachAgent() throws IOException {
    CtlRun run = CtlRun.of("get", "ps", "-o", "json", "--agent", agent(2));
    assertThat(run.code()).as(run.err()).isZero();
    var answers = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.out());
    assertThat(answers).hasSize(1);
    assertThat(answers.get(0).path("agent").asText()).isEqualTo(agent(2));
    assertThat(answers.get(0).path("node").asText()).isEqualTo("node-3");
    assertThat(NodeViews.statuses(answers.get(0).path("view").toString())).hasSize(2)
        .allSatisfy(s -> assertThat(s.state()).isEqualTo("up"));
  }

  @Test
  void anAgentThatDoesNotAnswerIsNamedAndTheOthersRowsAreStillPrinted() {
    String silent = "127.0.0.1:" + FreePorts.next();
    CtlRun run = CtlRun.of("get", "peerstatuses", "--agent", agent(0), "--agent", silent);
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err().lines().toList()).hasSize(1)
        .allSatisfy(line -> assertThat(line).startsWith("spanlog ctl: agent " + silent + " did not answer"));
    assertThat(run.out().lines().skip(1).toList()).hasSize(2).allSatisfy(row -> assertThat(row).startsWith("node-1 "));
  }

  private static String agent(int i) {
    return "127.0.0.1:" + ports.get(i);
  }

  private static void awaitAllUp(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      List<Optional<NodeViews.Snapshot>> views = new ArrayList<>();
      for (MemoryMesh.Node node : mesh.nodes()) {
        try {
          views.add(Optional.of(NodeViews.read(node.name(), node.status())));
        } catch (IOException | RuntimeException e) {
          views.add(Optional.empty());
        }
      }
      if (MeshHealth.allUp(views)) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("the three agents' peers were not all up within " + timeout);
  }
}
