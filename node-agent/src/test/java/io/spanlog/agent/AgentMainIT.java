package io.spanlog.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.agent.api.StatusJson;
import io.spanlog.agent.api.StatusViews;
import io.spanlog.agent.config.NodeConfig;
import io.spanlog.agent.identity.IdentityStore;
import io.spanlog.agent.mesh.DiscoveryProcess;
import io.spanlog.agent.mesh.RealDiscovery;
import io.spanlog.agent.mesh.SimulatedMesh;
import io.spanlog.infra.testing.FreePorts;
import io.spanlog.infra.testing.KafkaFixture;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./spanlog agent} as a separate process (memory backend) against the real discovery service. */
class AgentMainIT {
  @TempDir Path dir;
  private final List<Process> processes = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    processes.forEach(Process::destroyForcibly);
  }

  private Process launch(Path log, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), AgentMain.class.getName()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    processes.add(p);
    return p;
  }

  @Test
  void aBadConfigExitsWith2NamingTheFieldBeforeTouchingAnything() throws Exception {
    Path config = dir.resolve("node.yaml");
    Files.writeString(config, "cluster: { id: c, secret: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= }\n"
        + "kubespan: { mtu: 99 }\nstateFolder: " + dir.resolve("state") + "\n");
    Path log = dir.resolve("bad.log");
    Process p = launch(log, "--config", config.toString());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(Files.readString(log)).contains("kubespan.mtu").contains("1280..9000");
    assertThat(dir.resolve("state")).doesNotExist();

    Process noConfig = launch(dir.resolve("none.log"));
    assertThat(noConfig.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(noConfig.exitValue()).isEqualTo(2);
    assertThat(Files.readString(dir.resolve("none.log"))).contains("--config");
  }

  @Test
  void runsReloadsOnFileChangeAndSighupKeepsTheOldConfigWhenTheNewIsBadStopsOnSigtermAndLeaves() throws Exception {
    try (RealDiscovery discovery = RealDiscovery.start()) {
      Vertx vertx = Vertx.vertx();
      try {
        var mesh = new SimulatedMesh(vertx, discovery.url(), dir, "{ reconcileInterval: 500ms }");
        int api = FreePorts.next();
        Path config = dir.resolve("node-1.yaml");
        String yaml = mesh.yaml(1, api);
        Files.writeString(config, yaml);
        Path log = dir.resolve("agent.log");
        Process agent = launch(log, "--config", config.toString());
        await("the status API", log, () -> identity(api).isPresent());
        assertThat(identity(api).orElseThrow().nodename()).isEqualTo("node-1");
        String nodeId = identity(api).orElseThrow().nodeId();

        // a valid change to the file is applied in place
        Files.writeString(config, yaml.replace("node: { hostname: node-1 }", "node: { hostname: node-1, nodename: one }"));
        await("the new nodename", log, () -> identity(api).map(i -> i.nodename().equals("one")).orElse(false));
        // an invalid one is logged with the field, and the running config stays
        Files.writeString(config, yaml.replace("backend: memory", "backend: carrier-pigeon"));
        await("the refusal in the log", log, () -> read(log).contains("kubespan.backend"));
        assertThat(identity(api).orElseThrow().nodename()).isEqualTo("one");
        // SIGHUP re-reads the file (fixed again, without the file watch having to notice)
        Files.writeString(config, yaml.replace("node: { hostname: node-1 }", "node: { hostname: node-1, nodename: two }"));
        new ProcessBuilder("kill", "-HUP", Long.toString(agent.pid())).start().waitFor();
        await("the nodename after SIGHUP", log, () -> identity(api).map(i -> i.nodename().equals("two")).orElse(false));
        assertThat(identity(api).orElseThrow().nodeId()).isEqualTo(nodeId);
        assertThat(read(log)).contains("SIGHUP");

        agent.destroy(); // SIGTERM
        assertThat(agent.waitFor(30, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
        assertThat(read(log)).contains("agent stopped, device closed");

        Path leaveLog = dir.resolve("leave.log");
        Process leave = launch(leaveLog, "leave", "--config", config.toString());
        assertThat(leave.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(leave.exitValue()).as(read(leaveLog)).isZero();
        assertThat(read(leaveLog)).contains(nodeId).contains("left");
        assertNoSecrets(List.of(log, leaveLog), mesh.config(1, api));
      } finally {
        vertx.close().await(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void leaveOfARunningAgentMakesItLeaveAndExitAndTheOtherNodeDropsIt() throws Exception {
    try (RealDiscovery discovery = RealDiscovery.start()) {
      var mesh = new SimulatedMesh(null, discovery.url(), dir, "{ reconcileInterval: 300ms }");
      int api1 = FreePorts.next();
      int api2 = FreePorts.next();
      Path config1 = dir.resolve("node-1.yaml");
      Path config2 = dir.resolve("node-2.yaml");
      Files.writeString(config1, mesh.yaml(1, api1));
      Files.writeString(config2, mesh.yaml(2, api2));
      Path log1 = dir.resolve("agent-1.log");
      Path log2 = dir.resolve("agent-2.log");
      Process agent1 = launch(log1, "--config", config1.toString());
      launch(log2, "--config", config2.toString());
      await("node 2 has node 1 as a peer", log2, () -> peerLabels(api2).contains("node-1"));
      String nodeId = identity(api1).orElseThrow().nodeId();

      Path leaveLog = dir.resolve("leave.log");
      Process leave = launch(leaveLog, "leave", "--config", config1.toString());
      assertThat(leave.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(leave.exitValue()).as(read(leaveLog)).isZero();
      assertThat(read(leaveLog)).contains("node " + nodeId + " left the cluster: the running agent deleted its affiliate")
          .contains("removed its 1 peers and exited");
      assertThat(agent1.waitFor(30, TimeUnit.SECONDS)).as("the agent exits after leaving").isTrue();
      assertThat(agent1.exitValue()).as(read(log1)).isZero();
      assertThat(read(log1)).contains("left the cluster").contains("agent stopped, device closed");

      await("node 2 drops node 1", log2, () -> !peerLabels(api2).contains("node-1"));
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3); // ten reconcile intervals of node 2
      while (System.nanoTime() < end) {
        assertThat(identity(api2)).as("node 2 still answers").isPresent();
        assertThat(peerLabels(api2)).doesNotContain("node-1");
        Thread.sleep(100);
      }

      // with no agent running, leave deletes the affiliate itself
      Path again = dir.resolve("leave-again.log");
      Process second = launch(again, "leave", "--config", config1.toString());
      assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(second.exitValue()).as(read(again)).isZero();
      assertThat(read(again)).contains(nodeId).contains("no agent for it is running");
      assertNoSecrets(List.of(log1, log2, leaveLog, again), mesh.config(1, api1), mesh.config(2, api2));
    }
  }

  /**
   * SIGTERM ends the agent within seconds also when its discovery service hangs (SIGSTOP: the
   * connection stays open and nothing answers, so no call fails on its own before its deadline).
   */
  @Test
  void sigtermEndsTheAgentWithinSecondsWhenItsDiscoveryServiceHangs() throws Exception {
    try (DiscoveryProcess discovery = DiscoveryProcess.start(KafkaFixture.shared().bootstrapServers())) {
      var mesh = new SimulatedMesh(null, discovery.url(), dir, "{ reconcileInterval: 300ms }");
      int api = FreePorts.next();
      Path config = dir.resolve("node-1.yaml");
      Files.writeString(config, mesh.yaml(1, api));
      Path log = dir.resolve("agent.log");
      Process agent = launch(log, "--config", config.toString());
      await("the agent watching its discovery service", log,
          () -> identity(api).map(i -> i.discovery().state().equalsIgnoreCase("WATCHING")).orElse(false));
      discovery.freeze();
      Thread.sleep(1_000); // a few reconcile passes and refreshes now wait on the frozen service
      long stopAsked = System.nanoTime();
      agent.destroy(); // SIGTERM
      boolean exited = agent.waitFor(60, TimeUnit.SECONDS);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopAsked);
      System.out.printf("SIGTERM with the discovery service frozen: agent exited=%s after %d ms%n", exited, millis);
      assertThat(exited).as("the agent exits; its log:\n%s", read(log)).isTrue();
      assertThat(millis).as("SIGTERM to exit with discovery frozen; agent log:\n%s", read(log)).isLessThan(10_000);
      assertThat(read(log)).contains("agent stopped, device closed");
    }
  }

  private List<String> peerLabels(int port) {
    try {
      var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/peerspecs")).build(),
          HttpResponse.BodyHandlers.ofString());
      return response.statusCode() != 200 ? List.of()
          : StatusJson.mapper().readValue(response.body(), StatusViews.PeerSpecs.class).peers().stream()
              .map(StatusViews.Spec::label).toList();
    } catch (IOException e) {
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
  }

  private java.util.Optional<StatusViews.Identity> identity(int port) {
    try {
      var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/identity")).build(),
          HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200
          ? java.util.Optional.of(StatusJson.mapper().readValue(response.body(), StatusViews.Identity.class))
          : java.util.Optional.empty();
    } catch (IOException e) {
      return java.util.Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return java.util.Optional.empty();
    }
  }

  /**
   * No log holds a node's private key or the cluster secret in any form a program could have
   * written it: base64, hex in either case, or the raw bytes.
   */
  private static void assertNoSecrets(List<Path> logs, NodeConfig... nodes) throws IOException {
    Map<String, byte[]> secrets = new LinkedHashMap<>();
    for (NodeConfig node : nodes) {
      secrets.put("the cluster secret", node.clusterSecret().keyBytes());
      secrets.put("the private key of " + node.stateFolder().getFileName(), privateKey(node));
    }
    // the scan itself finds each form (a scan that cannot see a secret proves nothing)
    byte[] sample = secrets.values().iterator().next();
    for (String planted : forms(sample)) {
      assertThat(leaked(("log line " + planted + " end").getBytes(StandardCharsets.ISO_8859_1), sample))
          .as("the scan finds a planted form").isNotEmpty();
    }
    for (Path log : logs) {
      byte[] bytes = Files.readAllBytes(log);
      assertThat(bytes.length).as(log + " is a log with lines in it").isPositive();
      secrets.forEach((what, secret) ->
          assertThat(leaked(bytes, secret)).as(what + " in " + log.getFileName()).isEmpty());
    }
  }

  private static byte[] privateKey(NodeConfig node) throws IOException {
    String line = Files.readAllLines(node.stateFolder().resolve(IdentityStore.IDENTITY_FILE)).stream()
        .filter(l -> l.startsWith("privateKey:")).findFirst().orElseThrow();
    byte[] key = Base64.getDecoder().decode(line.substring("privateKey:".length()).trim());
    assertThat(key).hasSize(32);
    return key;
  }

  /** base64 (standard and URL alphabets), hex in both cases; the raw bytes are checked apart. */
  private static List<String> forms(byte[] secret) {
    String hex = HexFormat.of().formatHex(secret);
    return List.of(Base64.getEncoder().encodeToString(secret), Base64.getUrlEncoder().withoutPadding()
        .encodeToString(secret), hex, hex.toUpperCase(java.util.Locale.ROOT), new String(secret,
        StandardCharsets.ISO_8859_1));
  }

  /** The forms of {@code secret} found in {@code text} (bytes read as ISO-8859-1: one char per byte). */
  private static List<String> leaked(byte[] text, byte[] secret) {
    String haystack = new String(text, StandardCharsets.ISO_8859_1);
    List<String> names = List.of("base64", "base64url", "hex", "HEX", "raw");
    List<String> forms = forms(secret);
    List<String> found = new ArrayList<>();
    for (int i = 0; i < forms.size(); i++) {
      if (haystack.contains(forms.get(i))) {
        found.add(names.get(i));
      }
    }
    return found;
  }

  private static String read(Path log) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static void await(String what, Path log, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what + "; agent log:\n" + read(log));
      }
      Thread.sleep(50);
    }
  }
}
