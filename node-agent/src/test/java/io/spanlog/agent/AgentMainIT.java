package io.spanlog.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.spanlog.agent.api.StatusJson;
import io.spanlog.agent.api.StatusViews;
import io.spanlog.agent.mesh.RealDiscovery;
import io.spanlog.agent.mesh.SimulatedMesh;
import io.spanlog.infra.testing.FreePorts;
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
import java.util.List;
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
        assertThat(read(log) + read(leaveLog)).doesNotContain(mesh.config(1, api).clusterSecret().revealBase64());
      } finally {
        vertx.close().await(10, TimeUnit.SECONDS);
      }
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
